"""The tool contract: load the OpenAI tool definitions and validate call arguments."""

import copy
import json
from functools import lru_cache
from pathlib import Path

from jsonschema import Draft202012Validator

from agentic_tuning.paths import TOOLS_PATH

DESTRUCTIVE_TOOLS = frozenset({"delete_task", "delete_all_tasks"})

# jsonschema validator keyword -> coarse error kind used by the failure taxonomy.
_KIND_BY_KEYWORD = {
    "required": "missing_required",
    "type": "wrong_type",
    "enum": "bad_enum",
    "pattern": "bad_pattern",
    "additionalProperties": "extra_key",
}


@lru_cache(maxsize=None)
def _read_tools(path: str) -> tuple:
    with open(path, encoding="utf-8") as f:
        return tuple(json.load(f))


def load_tools(path=TOOLS_PATH) -> list[dict]:
    """Return a fresh deep copy of the tool definitions stored at `path`."""
    return copy.deepcopy(list(_read_tools(str(Path(path).resolve()))))


TOOL_NAMES: tuple[str, ...] = tuple(t["function"]["name"] for t in load_tools())


def is_destructive(name: str) -> bool:
    """True for tools that delete data."""
    return name in DESTRUCTIVE_TOOLS


def tools_by_name(tools=None) -> dict[str, dict]:
    """Map tool name -> tool definition (default: the repository tool set)."""
    tools = load_tools() if tools is None else tools
    return {t["function"]["name"]: t for t in tools}


def tool_schema(name: str, tools=None) -> dict:
    """The JSON Schema `parameters` object of tool `name`; KeyError if unknown."""
    tool = tools_by_name(tools).get(name)
    if tool is None:
        raise KeyError(f"unknown tool {name!r}")
    return tool["function"]["parameters"]


def _argument_label(path) -> str:
    label = ""
    for part in path:
        label += f"[{part}]" if isinstance(part, int) else (f".{part}" if label else part)
    return label


def _schema_errors(name, arguments, tools) -> list[tuple[str, str]]:
    """Sorted (message, kind) pairs describing everything wrong with a call."""
    try:
        schema = tool_schema(name, tools)
    except KeyError:
        return [(f"unknown tool {name!r}", "unknown_tool")]
    if not isinstance(arguments, dict):
        return [(f"arguments must be a JSON object, got {type(arguments).__name__}", "not_an_object")]
    errors = set()
    for error in Draft202012Validator(schema).iter_errors(arguments):
        kind = _KIND_BY_KEYWORD.get(error.validator, "wrong_type")
        if error.validator == "required":
            for key in error.validator_value:
                if key not in error.instance:
                    errors.add((f"missing required argument {key!r}", kind))
        elif error.validator == "additionalProperties":
            allowed = error.schema.get("properties", {})
            for key in error.instance:
                if key not in allowed:
                    errors.add((f"unexpected argument {key!r}", kind))
        else:
            label = _argument_label(error.absolute_path)
            prefix = f"argument {label!r}: " if label else ""
            if error.validator == "pattern":
                message = f"{error.instance!r} does not match pattern {error.validator_value}"
            else:
                message = error.message
            errors.add((prefix + message, kind))
    return sorted(errors)


def validate_arguments(name: str, arguments, tools=None) -> list[str]:
    """Human-readable problems with calling `name` with `arguments`; empty when valid."""
    return [message for message, _ in _schema_errors(name, arguments, tools)]


def schema_error_kinds(name: str, arguments, tools=None) -> list[str]:
    """One coarse kind per error of `validate_arguments`, in the same order."""
    return [kind for _, kind in _schema_errors(name, arguments, tools)]
