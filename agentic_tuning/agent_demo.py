"""Pieces for showing an agent run: scripted models, a seeded demo store, transcripts and store tables.

A :class:`ScriptedModel` plays a model that replies with pre-written assistant messages, which is
how notebook 07 and lab 07 prove what the safety gate does with a call no real model was asked
for (an unprompted ``delete_all_tasks``, say) without depending on what a model happens to say.
"""

from __future__ import annotations

import copy
import datetime as dt
import json

from .conversations import assistant_calls
from .eval_tables import describe_turn

DEMO_TODAY = dt.date(2026, 12, 2)  # a Wednesday: "by Friday" is 2026-12-04
DEMO_TASKS = [
    {"title": "Review the Q4 budget", "priority": "high", "due_date": "2026-12-04", "tags": ["finance"]},
    {"title": "Buy milk"},
    {"title": "Book the team offsite", "due_date": "2026-12-10", "tags": ["team"]},
    {"title": "Renew passport", "status": "done"},
]
TASK_COLUMNS = ["id", "title", "due_date", "priority", "status", "tags"]


class ScriptedModel:
    """A model client (``complete(messages, tools)``) that replies with pre-written messages in order.

    A reply may also be a function of the messages so far (to use an id a tool returned).
    """

    def __init__(self, *replies):
        self.replies = list(replies)
        self.seen: list[list[dict]] = []

    def complete(self, messages: list[dict], tools: list[dict]) -> dict:
        self.seen.append(copy.deepcopy(messages))
        if not self.replies:
            return answer("(the script has no more replies)")
        reply = self.replies.pop(0)
        return copy.deepcopy(reply(messages) if callable(reply) else reply)


def calls(*pairs: tuple[str, dict], first_id: int = 0) -> dict:
    """An assistant message calling tools: ``calls(("delete_task", {"task_id": "task_1"}))``."""
    return assistant_calls(list(pairs), first_id)


def answer(text: str) -> dict:
    """An assistant message in plain text (a final answer)."""
    return {"role": "assistant", "content": text}


def seed_store(store, tasks: list[dict] = DEMO_TASKS):
    """Add the demo tasks to ``store`` and return it."""
    for task in tasks:
        store.add_task(**task)
    return store


def tasks_frame(store):
    """The store's tasks as a DataFrame (without the creation timestamp, which changes every run; empty
    fields shown as empty strings)."""
    import pandas as pd

    rows = [{k: (", ".join(v) if k == "tags" else "" if v is None else v) for k, v in t.items() if k in TASK_COLUMNS}
            for t in store.all_tasks()]
    return pd.DataFrame(rows, columns=TASK_COLUMNS).set_index("id")


def store_counts(store) -> dict[str, int]:
    """Rows per table: tasks, subtasks, comments, reminders."""
    return {table: len(rows) for table, rows in store.snapshot().items()}


def _without_timestamps(value):
    """Drop ``created_at`` (the one field that changes from run to run) from a tool result."""
    if isinstance(value, dict):
        return {k: _without_timestamps(v) for k, v in value.items() if k != "created_at"}
    if isinstance(value, list):
        return [_without_timestamps(v) for v in value]
    return value


def _tool_text(content: str) -> str:
    try:
        result = json.loads(content)
    except ValueError:
        return content
    if result.get("ok"):
        return "ok: " + json.dumps(_without_timestamps(result["result"]), ensure_ascii=False)
    return f"error {result['error']['type']}: {result['error']['message']}"


def transcript(run, *, include_system: bool = False):
    """The messages of an ``AgentRun`` as a table: step, role, what was said or called, and the
    gate's verdict (execute / confirm / reject, and the user's answer) for each tool result.
    Tool results are shown without their ``created_at`` timestamps."""
    import pandas as pd

    decisions = {d.call_id: d for d in run.decisions}
    rows, step = [], 0
    for message in run.messages:
        role = message["role"]
        if role == "system" and not include_system:
            continue
        if role == "assistant":
            step += 1
        gate = ""
        if role == "tool":
            decision = decisions.get(message["tool_call_id"])
            if decision is not None:
                gate = decision.verdict if decision.approved is None else (
                    f"{decision.verdict}: {'approved' if decision.approved else 'denied'}")
            text = _tool_text(message["content"])
        elif role == "assistant":
            text = describe_turn(message) if message.get("tool_calls") else f"💬 {message.get('content') or ''}"
        else:
            text = message.get("content") or ""
        rows.append({"step": step, "role": role, "message": text, "gate": gate})
    return pd.DataFrame(rows, columns=["step", "role", "message", "gate"])


__all__ = ["DEMO_TODAY", "DEMO_TASKS", "ScriptedModel", "calls", "answer", "seed_store", "tasks_frame",
           "store_counts", "transcript"]
