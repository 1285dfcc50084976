"""Self-checks for lab 03: add a new tool, ``archive_task(task_id)``, and generate training data for it.

Exercise 1 writes the tool definition in OpenAI function format; exercise 2 writes a generator
``make_archive_example(rng)`` that returns one agentic SFT example in the course's format: a system
prompt, the user's request, and the reference assistant turn (``content: None`` plus ``tool_calls``
whose ``arguments`` is a JSON string) that validates against the tool's schema.
"""

from __future__ import annotations

import json
import random
import re

from jsonschema import Draft202012Validator
from jsonschema.exceptions import SchemaError

from ..data import validate_example
from ..tools import validate_arguments

TOOL_NAME = "archive_task"
VALID_ARGUMENTS = [{"task_id": "task_7"}, {"task_id": "task_1203"}]
INVALID_ARGUMENTS = [
    ({}, "task_id must be required"),
    ({"task_id": "7"}, "task_id needs the pattern ^task_\\d+$ like the other tools' ids"),
    ({"task_id": "task_abc"}, "task_id needs the pattern ^task_\\d+$ like the other tools' ids"),
    ({"task_id": 7}, "task_id must be a string"),
    ({"task_id": "task_7", "force": True}, "set additionalProperties to False: unknown keys must be rejected"),
]


def _fail(message: str):
    raise AssertionError(message)


def check_tool_definition(tool: dict) -> None:
    """The tool is an OpenAI function definition whose schema accepts exactly a well-formed task id."""
    assert isinstance(tool, dict) and tool.get("type") == "function", \
        'the definition is a dict with "type": "function" and a "function" object'
    function = tool.get("function") or _fail('missing the "function" object')
    assert function.get("name") == TOOL_NAME, f'the function name must be "{TOOL_NAME}"'
    assert isinstance(function.get("description"), str) and function["description"].strip(), \
        "give the function a description: the model reads it to decide when to call the tool"
    schema = function.get("parameters") or _fail('missing "parameters" (the JSON Schema of the arguments)')
    try:
        Draft202012Validator.check_schema(schema)
    except SchemaError as exc:
        raise AssertionError(f"parameters is not a valid JSON Schema: {exc.message}") from None
    assert schema.get("type") == "object", 'parameters must have "type": "object"'
    validator = Draft202012Validator(schema)
    for arguments in VALID_ARGUMENTS:
        assert validator.is_valid(arguments), f"the schema must accept {arguments}"
    for arguments, hint in INVALID_ARGUMENTS:
        assert not validator.is_valid(arguments), f"the schema must reject {arguments}: {hint}"
    print(f"✅ the {TOOL_NAME} definition is correct")


def _task_number(arguments: dict) -> str:
    match = re.fullmatch(r"task_(\d+)", str(arguments.get("task_id", "")))
    return match.group(1) if match else ""


def _check_example(example: dict) -> tuple[str, str]:
    """Check one example; return its user request and the called task id."""
    assert isinstance(example, dict) and {"messages", "tools"} <= set(example), \
        'return a dict with "messages" and "tools"'
    names = [t["function"]["name"] for t in example["tools"]]
    assert TOOL_NAME in names, f'"tools" must include your {TOOL_NAME} definition (e.g. TOOLS)'
    roles = [m["role"] for m in example["messages"]]
    assert roles == ["system", "user", "assistant"], f"messages must be system, user, assistant; got {roles}"
    system, user, reference = example["messages"]
    assert "Today is" in system["content"], 'start from the SYSTEM prompt: it states "Today is ..."'
    assert reference.get("content") is None, 'the reference turn of a tool call has "content": None'
    calls = reference.get("tool_calls") or _fail('the reference turn needs "tool_calls"')
    assert len(calls) == 1, f"one request, one call: got {len(calls)} tool calls"
    call = calls[0]
    assert call.get("type") == "function" and isinstance(call.get("id"), str) and call["id"], \
        'each tool call needs an "id" (e.g. "call_0") and "type": "function"'
    assert call["function"]["name"] == TOOL_NAME, f'the call must be to {TOOL_NAME}, got {call["function"]["name"]!r}'
    arguments = call["function"]["arguments"]
    assert isinstance(arguments, str), \
        'OpenAI "arguments" is a JSON *string*: use json.dumps(...) (or conversations.assistant_calls)'
    parsed = json.loads(arguments)
    errors = validate_arguments(TOOL_NAME, parsed, example["tools"])
    assert not errors, f"the arguments {parsed} do not validate against the schema: {errors}"
    number = _task_number(parsed)
    assert re.search(rf"(?<!\d){number}(?!\d)", user["content"]), \
        f'the request "{user["content"]}" must mention the task number of the call ({parsed["task_id"]})'
    validate_example(example)
    return user["content"], parsed["task_id"]


def check_generator(make_archive_example, draws: int = 60) -> None:
    """Well-formed, schema-valid, deterministic for a seed, and varied in phrasing and task ids."""
    checked = [_check_example(make_archive_example(random.Random(seed))) for seed in range(draws)]
    again = make_archive_example(random.Random(0))
    assert again == make_archive_example(random.Random(0)), \
        "the same seed must give the same example: draw every random choice from rng, not from random.*"
    shapes = {re.sub(r"\d+", "<n>", request) for request, _ in checked}
    assert len(shapes) >= 4, f"only {len(shapes)} distinct phrasings in {draws} draws: write at least 4 and pick with rng"
    ids = {task_id for _, task_id in checked}
    assert len(ids) >= draws // 3, f"only {len(ids)} distinct task ids in {draws} draws: draw the number with rng"
    print(f"✅ make_archive_example is correct: {len(shapes)} phrasings and {len(ids)} task ids in {draws} examples")


__all__ = ["TOOL_NAME", "check_tool_definition", "check_generator"]
