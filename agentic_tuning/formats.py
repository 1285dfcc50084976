"""Tool-call formats: parse raw model text into OpenAI messages, and convert losslessly
between the OpenAI, Hermes (``<tool_call>`` blocks) and Anthropic message formats."""

from __future__ import annotations

import enum
import json
import re
from dataclasses import dataclass

from .tools import validate_arguments

_END_MARKERS = ("<|im_end|>", "<|endoftext|>")
_OPEN_TAG = "<tool_call>"
_BLOCK_RE = re.compile(r"<tool_call>(.*?)</tool_call>", re.S)
_FENCE_OPEN_RE = re.compile(r"```(?:json)?\s*$")
_FENCE_CLOSE_RE = re.compile(r"\s*```")
_ONLY_FENCE_RE = re.compile(r"\s*(?:```(?:json)?\s*)?")
_NAME_KEY_RE = re.compile(r"""["']?\bname\b["']?\s*:""")
_CONFIRM_RE = re.compile(
    r"\b(would you like|shall i|should i|do you want|want me to|"
    r"can you confirm|could you confirm|please confirm|are you sure)\b",
    re.I,
)


class OutputKind(str, enum.Enum):
    """What a raw model output turned out to be, from best to the failure taxonomy."""

    VALID_CALLS = "valid_tool_calls"
    NO_CALL = "no_tool_call"
    ASKS_CONFIRMATION = "asks_confirmation"
    MALFORMED_JSON = "malformed_json"
    EXTRA_PROSE = "extra_prose"
    UNKNOWN_TOOL = "unknown_tool"
    SCHEMA_VIOLATION = "schema_violation"
    TRUNCATED = "truncated"


@dataclass
class ParsedOutput:
    """The result of :func:`parse_model_output`."""

    kind: OutputKind
    message: dict
    calls: list[dict]
    errors: list[str]
    json_valid: bool
    strict_format: bool
    raw: str


# ---------------------------------------------------------------- arguments and call text


def call_json(name: str, arguments: dict) -> str:
    """The one canonical JSON text of a call, as the chat template renders it."""
    return json.dumps({"name": name, "arguments": arguments}, ensure_ascii=False)


def arguments_to_object(arguments: dict | str) -> dict:
    """Arguments as a dict, parsing a JSON string if needed."""
    if isinstance(arguments, str):
        arguments = json.loads(arguments)
    if not isinstance(arguments, dict):
        raise ValueError(f"tool arguments must be a JSON object, got {type(arguments).__name__}")
    return arguments


def arguments_to_string(arguments: dict | str) -> str:
    """Arguments as a JSON string (OpenAI wire format); strings pass through unchanged."""
    if isinstance(arguments, str):
        return arguments
    return json.dumps(arguments, ensure_ascii=False)


# ---------------------------------------------------------------- parsing raw model text


def _strip_end_markers(text: str) -> str:
    text = text.strip()
    while text.endswith(_END_MARKERS):
        marker = next(m for m in _END_MARKERS if text.endswith(m))
        text = text[: -len(marker)].rstrip()
    return text


def _split_tagged(text: str) -> tuple[list[str], str, bool]:
    """Payloads of ``<tool_call>`` blocks, the prose outside them, and whether a tag never closes."""
    payloads = [m.group(1) for m in _BLOCK_RE.finditer(text)]
    rest = _BLOCK_RE.sub("", text)
    truncated = _OPEN_TAG in rest
    if truncated:
        rest = rest[: rest.index(_OPEN_TAG)]
    return payloads, rest.strip(), truncated


def _object_spans(text: str):
    """Yield ``(start, end, closed)`` for each top-level ``{...}`` span, honouring JSON strings."""
    start, depth, in_string, escaped = None, 0, False, False
    for i, ch in enumerate(text):
        if start is None:
            if ch == "{":
                start, depth = i, 1
        elif in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "{}":
            depth += 1 if ch == "{" else -1
            if depth == 0:
                yield start, i + 1, True
                start = None
    if start is not None:
        yield start, len(text), False


def _is_call_attempt(span: str, leading: str) -> bool:
    """A parseable object with name+arguments keys, or unparseable text that looks like one."""
    try:
        obj = json.loads(span)
    except json.JSONDecodeError:
        return bool(_NAME_KEY_RE.search(span)) or bool(_ONLY_FENCE_RE.fullmatch(leading))
    return isinstance(obj, dict) and "name" in obj and ("arguments" in obj or "parameters" in obj)


def _split_untagged(text: str) -> tuple[list[str], str, bool]:
    """Bare or ```json fenced call objects, the prose around them, and whether one never closes."""
    payloads, prose, pos, truncated = [], [], 0, False
    for start, end, closed in _object_spans(text):
        if not _is_call_attempt(text[start:end], text[:start]):
            continue
        before = text[pos:start]
        fence = _FENCE_OPEN_RE.search(before)
        prose.append(before[: fence.start()] if fence else before)
        if closed:
            payloads.append(text[start:end])
            fence = _FENCE_CLOSE_RE.match(text, end)
            pos = fence.end() if fence else end
        else:
            truncated, pos = True, end
    prose.append(text[pos:])
    return payloads, "".join(prose).strip(), truncated


def _parse_payload(payload: str) -> tuple[dict | None, str | None, bool]:
    """``(call, error, canonical)`` for one payload; canonical means exactly name + object arguments."""
    try:
        obj = json.loads(payload)
    except json.JSONDecodeError as exc:
        return None, f"invalid JSON: {exc}", False
    if not isinstance(obj, dict) or not isinstance(obj.get("name"), str):
        return None, "call payload is not an object with a string 'name'", False
    key = "arguments" if "arguments" in obj else "parameters" if "parameters" in obj else None
    if key is None:
        return None, f"call {obj['name']!r} has no 'arguments'", False
    try:
        arguments = arguments_to_object(obj[key])
    except (json.JSONDecodeError, ValueError) as exc:
        return None, f"call {obj['name']!r}: invalid arguments: {exc}", False
    canonical = set(obj) == {"name", "arguments"} and isinstance(obj["arguments"], dict)
    return {"name": obj["name"], "arguments": arguments}, None, canonical


def _check_calls(calls: list[dict], tools: list[dict]) -> tuple[list[str], list[str]]:
    """Unknown-tool errors and schema errors of ``calls`` against an OpenAI-format tool list."""
    names = {t["function"]["name"] for t in tools}
    unknown, schema = [], []
    for call in calls:
        if call["name"] not in names:
            unknown.append(f"unknown tool {call['name']!r}")
        else:
            schema += [f"{call['name']}: {error}" for error in validate_arguments(call["name"], call["arguments"], tools)]
    return unknown, schema


def _asks_user(text: str) -> bool:
    return text.endswith("?") or bool(_CONFIRM_RE.search(text))


def _tool_calls_message(content: str | None, calls: list[dict], id_prefix: str) -> dict:
    tool_calls = [
        {
            "id": f"{id_prefix}{i}",
            "type": "function",
            "function": {"name": c["name"], "arguments": arguments_to_string(c["arguments"])},
        }
        for i, c in enumerate(calls)
    ]
    return {"role": "assistant", "content": content, "tool_calls": tool_calls}


def parse_model_output(text: str, tools: list[dict] | None = None, id_prefix: str = "call_") -> ParsedOutput:
    """Classify raw model text and turn it into an OpenAI assistant message.

    Only executable calls (VALID_CALLS, EXTRA_PROSE) become ``tool_calls``, with any prose as
    content; every other kind comes back as plain content. Nothing is repaired. Bare or
    fenced JSON calls are accepted but are never ``strict_format``. With ``tools=None`` the
    unknown-tool and schema checks are skipped.
    """
    body = _strip_end_markers(text)
    tagged = _OPEN_TAG in body
    payloads, prose, truncated = (_split_tagged if tagged else _split_untagged)(body)

    calls, errors, all_canonical = [], [], True
    if truncated:
        errors.append("generation cut off: unterminated " + ("<tool_call> block" if tagged else "JSON object"))
    for payload in payloads:
        call, error, canonical = _parse_payload(payload)
        all_canonical = all_canonical and canonical
        if call is None:
            errors.append(error)
        else:
            calls.append(call)
    malformed = len(calls) < len(payloads)
    unknown, schema = _check_calls(calls, tools) if tools is not None else ([], [])
    errors += unknown + schema

    if truncated:
        kind = OutputKind.TRUNCATED
    elif malformed:
        kind = OutputKind.MALFORMED_JSON
    elif unknown:
        kind = OutputKind.UNKNOWN_TOOL
    elif schema:
        kind = OutputKind.SCHEMA_VIOLATION
    elif calls:
        kind = OutputKind.EXTRA_PROSE if prose else OutputKind.VALID_CALLS
    else:
        kind = OutputKind.ASKS_CONFIRMATION if _asks_user(body) else OutputKind.NO_CALL

    if kind in (OutputKind.VALID_CALLS, OutputKind.EXTRA_PROSE):
        message = _tool_calls_message(prose or None, calls, id_prefix)
    else:
        message = {"role": "assistant", "content": body}
    json_valid = bool(payloads) and not malformed and not truncated
    strict_format = tagged and json_valid and all_canonical and not prose
    return ParsedOutput(kind, message, calls, errors, json_valid, strict_format, text)


# ---------------------------------------------------------------- message converters


def openai_to_hermes(message: dict) -> str:
    """Render an OpenAI assistant message as the text the model emits."""
    parts = [message["content"]] if message.get("content") else []
    for tool_call in message.get("tool_calls") or []:
        fn = tool_call["function"]
        parts.append(f"{_OPEN_TAG}\n{call_json(fn['name'], arguments_to_object(fn['arguments']))}\n</tool_call>")
    return "\n".join(parts)


def hermes_to_openai(text: str, id_prefix: str = "call_") -> dict:
    """Parse model text (no tool checks) into an OpenAI assistant message with ids ``<prefix><i>``."""
    return parse_model_output(text, tools=None, id_prefix=id_prefix).message


def openai_to_anthropic(message: dict) -> dict:
    """OpenAI assistant message -> Anthropic message with text and tool_use blocks."""
    blocks = [{"type": "text", "text": message["content"]}] if message.get("content") else []
    for tool_call in message.get("tool_calls") or []:
        fn = tool_call["function"]
        blocks.append(
            {"type": "tool_use", "id": tool_call["id"], "name": fn["name"], "input": arguments_to_object(fn["arguments"])}
        )
    return {"role": message["role"], "content": blocks}


def anthropic_to_openai(message: dict) -> dict:
    """Anthropic message with text/tool_use blocks -> OpenAI message (content None when no text)."""
    content = message["content"]
    if isinstance(content, str):
        return {"role": message["role"], "content": content}
    text = "".join(b["text"] for b in content if b["type"] == "text")
    tool_calls = [
        {"id": b["id"], "type": "function", "function": {"name": b["name"], "arguments": arguments_to_string(b["input"])}}
        for b in content
        if b["type"] == "tool_use"
    ]
    result = {"role": message["role"], "content": text or None}
    if tool_calls:
        result["tool_calls"] = tool_calls
    return result


# ---------------------------------------------------------------- conversation converters


def _is_tool_results(message: dict) -> bool:
    content = message["content"]
    return (
        message["role"] == "user"
        and isinstance(content, list)
        and bool(content)
        and all(b["type"] == "tool_result" for b in content)
    )


def _block_text(content: str | list) -> str:
    return content if isinstance(content, str) else "".join(b["text"] for b in content if b["type"] == "text")


def openai_messages_to_anthropic(messages: list[dict]) -> tuple[str | None, list[dict]]:
    """OpenAI conversation -> ``(system, messages)``; consecutive tool results share one user message."""
    system = [m["content"] for m in messages if m["role"] == "system"]
    converted: list[dict] = []
    for m in messages:
        if m["role"] == "tool":
            block = {"type": "tool_result", "tool_use_id": m["tool_call_id"], "content": m["content"]}
            if converted and _is_tool_results(converted[-1]):
                converted[-1]["content"].append(block)
            else:
                converted.append({"role": "user", "content": [block]})
        elif m["role"] == "assistant":
            converted.append(openai_to_anthropic(m))
        elif m["role"] == "user":
            converted.append({"role": "user", "content": m["content"]})
    return ("\n\n".join(system) if system else None), converted


def anthropic_messages_to_openai(system: str | None, messages: list[dict]) -> list[dict]:
    """Inverse of :func:`openai_messages_to_anthropic`."""
    converted = [{"role": "system", "content": system}] if system else []
    for m in messages:
        if m["role"] == "assistant":
            converted.append(anthropic_to_openai(m))
            continue
        content = m["content"]
        if isinstance(content, str):
            converted.append({"role": "user", "content": content})
            continue
        for b in content:
            if b["type"] == "tool_result":
                converted.append({"role": "tool", "tool_call_id": b["tool_use_id"], "content": _block_text(b["content"])})
        text = _block_text(content)
        if text:
            converted.append({"role": "user", "content": text})
    return converted
