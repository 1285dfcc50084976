"""The one conversation format of the course: ``{"messages": [...], "tools": [...]}`` per JSONL line.

Messages are OpenAI chat messages. The last one is the reference assistant turn: ``content:
null`` plus ``tool_calls`` (arguments as a JSON string), or plain ``content`` when no tool
should be called. Extra keys (``category``, ``template``...) are metadata and never shown to
the model.
"""

from __future__ import annotations

import json
from pathlib import Path

from .formats import arguments_to_object


def read_jsonl(path: str | Path) -> list[dict]:
    with open(path, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def write_jsonl(path: str | Path, rows: list[dict]) -> None:
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8") as handle:
        for row in rows:
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")


def tool_call(call_id: str, name: str, arguments: dict) -> dict:
    """One OpenAI tool call, arguments encoded as a JSON string."""
    return {
        "id": call_id,
        "type": "function",
        "function": {"name": name, "arguments": json.dumps(arguments, ensure_ascii=False)},
    }


def assistant_calls(calls: list[tuple[str, dict]], first_id: int = 0) -> dict:
    """An assistant turn that calls tools: ``content`` null, ``tool_calls`` with ids."""
    return {
        "role": "assistant",
        "content": None,
        "tool_calls": [
            tool_call(f"call_{first_id + i}", name, args) for i, (name, args) in enumerate(calls)
        ],
    }


def reference_calls(message: dict) -> list[dict]:
    """The calls of an assistant message as ``{"name", "arguments": dict}``."""
    return [
        {"name": call["function"]["name"], "arguments": arguments_to_object(call["function"]["arguments"])}
        for call in message.get("tool_calls") or []
    ]


def split_reference(example: dict) -> tuple[list[dict], dict]:
    """The conversation the model sees, and the reference turn it should produce."""
    messages = example["messages"]
    if messages[-1]["role"] != "assistant":
        raise ValueError("the last message of an example must be the reference assistant turn")
    return messages[:-1], messages[-1]
