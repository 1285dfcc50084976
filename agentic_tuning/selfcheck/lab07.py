"""Self-check for lab 07: an agent loop with a safety gate, run against scripted models.

The learner writes two functions:

* ``gate(call, executor, confirm) -> dict``: the result the model gets for one OpenAI tool call.
  Arguments that are not a JSON object valid for the tool's schema, and unknown tools, are
  rejected without running anything and without asking; a destructive call (``delete_task``,
  ``delete_all_tasks``) runs only when ``confirm(call)`` returns exactly ``True``; any other call
  runs through ``executor.execute(name, arguments)``. A call that does not run returns
  ``{"ok": False, "error": {...}}``.
* ``agent_loop(request, model, executor, confirm, max_steps=6) -> list[dict]``: start from the
  user's message, ask ``model.complete(messages, executor.tools)`` for the next assistant message,
  append it; if it has ``tool_calls``, pass each through ``gate`` and append a ``tool`` message
  (``tool_call_id`` and the result as a JSON string), then ask again; stop at a message without
  tool calls or after ``max_steps`` model calls; return all messages.

Every case runs on a fresh in-memory SQLite store seeded with four tasks and compares the store
before and after: a denied or invalid call must leave it exactly as it was.
"""

from __future__ import annotations

import json

from ..agent_demo import DEMO_TODAY, ScriptedModel, answer, calls, seed_store
from ..executor import TaskExecutor, TaskStore


class Asked:
    """A confirm callback that records what it was asked and answers with a fixed value."""

    def __init__(self, reply):
        self.reply, self.calls = reply, []

    def __call__(self, call):
        self.calls.append(call["function"]["name"])
        return self.reply


def _fresh():
    store = seed_store(TaskStore(today=DEMO_TODAY))
    return store, TaskExecutor(store)


def _raw(name: str, arguments: str) -> dict:
    return {"id": "call_x", "type": "function", "function": {"name": name, "arguments": arguments}}


def _call(name: str, arguments: dict) -> dict:
    return _raw(name, json.dumps(arguments))


# (description, call, confirm reply, should run, should ask, hint)
GATE_CASES = [
    ("a valid create_task", _call("create_task", {"title": "Call the dentist", "priority": "high"}), False, True, False,
     "a valid call to a non-destructive tool runs through executor.execute(name, arguments) without asking."),
    ("a valid update_task", _call("update_task", {"task_id": "task_2", "status": "done"}), False, True, False,
     "parse the arguments string with json.loads before calling executor.execute."),
    ("delete_task, user denies", _call("delete_task", {"task_id": "task_1"}), False, False, True,
     "a destructive call runs only if confirm(call) returns True; here it returned False."),
    ("delete_task, user approves", _call("delete_task", {"task_id": "task_1"}), True, True, True,
     "when confirm(call) returns True, the destructive call runs."),
    ("delete_all_tasks, confirm answers 'no'", _call("delete_all_tasks", {"scope": "all"}), "no", False, True,
     "'no' is a truthy string: approve only when confirm(call) is True, not when it is merely truthy."),
    ("delete_all_tasks, confirm answers None", _call("delete_all_tasks", {"scope": "completed"}), None, False, True,
     "no answer is not an approval."),
    ("create_task with a priority outside the enum", _call("create_task", {"title": "x", "priority": "urgent"}),
     True, False, False,
     "validate the arguments against the tool's schema (tools.validate_arguments) and reject invalid calls "
     "without running them or asking."),
    ("delete_task with an invalid id, confirm would approve", _call("delete_task", {"task_id": "1"}), True, False, False,
     "an invalid destructive call is rejected before anyone is asked: validate first, then ask."),
    ("an unknown tool", _call("archive_task", {"task_id": "task_1"}), True, False, False,
     "a tool that is not in executor.tools is rejected (validate_arguments reports unknown tools)."),
    ("arguments that are not JSON", _raw("update_task", '{"task_id": "task_2", "status": '), True, False, False,
     "json.loads can fail: catch the error and return {'ok': False, 'error': ...} instead of raising."),
    ("arguments that are a JSON list", _raw("create_task", '["Call the dentist"]'), True, False, False,
     "arguments must be a JSON object; validate_arguments reports anything else."),
]


def check_gate(gate) -> None:
    """Run the learner's gate on one call per case and compare the store before and after."""
    for number, (name, call, reply, should_run, should_ask, hint) in enumerate(GATE_CASES, start=1):
        store, executor = _fresh()
        before, confirm = store.snapshot(), Asked(reply)
        try:
            result = gate(json.loads(json.dumps(call)), executor, confirm)
        except Exception as exc:  # noqa: BLE001 - any exception is the learner's bug to see
            raise AssertionError(f"case {number} ({name}): gate raised {type(exc).__name__}: {exc}\nHint: {hint}") from exc
        changed = store.snapshot() != before
        where = f"case {number} of {len(GATE_CASES)} ({name})"
        assert isinstance(result, dict) and "ok" in result, f"{where}: return the result dict, got {result!r}."
        assert bool(confirm.calls) == should_ask, (
            f"{where}: confirm was {'not ' if should_ask else ''}asked.\nHint: {hint}")
        assert changed == should_run and result["ok"] is should_run, (
            f"{where}: the call {'should' if should_run else 'must not'} run; the store "
            f"{'changed' if changed else 'did not change'} and the result was {result}.\nHint: {hint}")
        if not should_run:
            assert result.get("error"), f"{where}: say why the call did not run in result['error'].\nHint: {hint}"
    print(f"✅ gate is correct on all {len(GATE_CASES)} hand-made calls: nothing destructive or invalid ran "
          "without approval.")


def _update_found(messages):
    found = json.loads(messages[-1]["content"])["result"]
    return calls(("update_task", {"task_id": found[0]["id"], "status": "done"}), first_id=1)


def _tool_results(messages):
    return [json.loads(m["content"]) for m in messages if m["role"] == "tool"]


def check_agent_loop(agent_loop) -> None:
    """Run the learner's loop against scripted models and check the messages and the store."""
    # 1. one call, then a final answer
    store, executor = _fresh()
    model = ScriptedModel(calls(("create_task", {"title": "Call the dentist", "due_date": "2026-12-04"})),
                          answer("Created 'Call the dentist' for Friday."))
    messages = agent_loop("Add a task to call the dentist by Friday", model, executor, Asked(False))
    roles = [m["role"] for m in messages]
    assert roles == ["user", "assistant", "tool", "assistant"], (
        f"case 1: expected the roles user, assistant, tool, assistant; got {roles}.\n"
        "Hint: append the model's message, then one tool message per call, then ask the model again.")
    assert messages[2].get("tool_call_id") == "call_0", "case 1: the tool message needs the call's id as tool_call_id."
    assert json.loads(messages[2]["content"])["ok"] is True, "case 1: the tool message content is the result as JSON."
    assert [t["title"] for t in store.all_tasks()][-1] == "Call the dentist", "case 1: the create_task call must run."
    assert messages[-1]["content"] == "Created 'Call the dentist' for Friday.", "case 1: stop at the final answer."

    # 2. the model reads a result and uses the returned id
    store, executor = _fresh()
    model = ScriptedModel(calls(("search_tasks", {"query": "budget"})), _update_found, answer("Done."))
    messages = agent_loop("Mark the budget review as done", model, executor, Asked(False))
    assert store.get_task("task_1")["status"] == "done", (
        "case 2: search, then update the id the search returned.\n"
        "Hint: the model must see the tool results: pass the whole message list to model.complete each step.")
    assert len(model.seen) == 3, f"case 2: the model should be asked 3 times, was asked {len(model.seen)}."

    # 3. an unprompted destructive call, denied: the store is unchanged and the model is told
    store, executor = _fresh()
    before, confirm = store.snapshot(), Asked(False)
    model = ScriptedModel(calls(("delete_all_tasks", {"scope": "all"})), answer("I did not delete anything."))
    messages = agent_loop("What is on my list?", model, executor, confirm)
    assert store.snapshot() == before, (
        "case 3: a denied delete_all_tasks changed the store.\nHint: destructive calls run only if confirm(call) is True.")
    assert confirm.calls == ["delete_all_tasks"], f"case 3: confirm should be asked once, was asked for {confirm.calls}."
    assert [r["ok"] for r in _tool_results(messages)] == [False], (
        "case 3: the model must get a tool message saying the call did not run.")

    # 4. a parallel turn: the safe call runs, the denied delete does not
    store, executor = _fresh()
    model = ScriptedModel(calls(("create_task", {"title": "Call the dentist"}), ("delete_task", {"task_id": "task_2"})),
                          answer("Created the task; the delete was not approved."))
    messages = agent_loop("Add a task to call the dentist", model, executor, Asked(False))
    titles = [t["title"] for t in store.all_tasks()]
    assert "Call the dentist" in titles and "Buy milk" in titles, (
        f"case 4: expected the create to run and the delete of task_2 ('Buy milk') to be held; tasks are {titles}.\n"
        "Hint: pass every call of a turn through the gate, one tool message each.")
    assert [r["ok"] for r in _tool_results(messages)] == [True, False], "case 4: one tool message per call, in order."

    # 5. an approved delete runs
    store, executor = _fresh()
    model = ScriptedModel(calls(("delete_task", {"task_id": "task_2"})), answer("Deleted."))
    agent_loop("Delete task_2", model, executor, Asked(True))
    assert store.get_task("task_2") is None, "case 5: an approved delete_task must run."

    # 6. a model that never stops calling tools
    store, executor = _fresh()
    model = ScriptedModel(*(calls(("list_tasks", {"filter": "all"}), first_id=i) for i in range(10)))
    agent_loop("Loop forever", model, executor, Asked(False), max_steps=3)
    assert len(model.seen) == 3, (
        f"case 6: with max_steps=3 the model should be asked 3 times, was asked {len(model.seen)}.")

    # 7. an invalid call is reported back, not executed
    store, executor = _fresh()
    before = store.snapshot()
    model = ScriptedModel(calls(("create_task", {"title": "Budget", "priority": "urgent"})), answer("Sorry."))
    messages = agent_loop("Create an urgent budget task", model, executor, Asked(True))
    assert store.snapshot() == before and [r["ok"] for r in _tool_results(messages)] == [False], (
        "case 7: an invalid call must not run, and the model must be told.")
    print("✅ agent_loop passes all 7 scripted runs: results fed back, final answers stop the loop, "
          "and no destructive or invalid call ran without approval.")


__all__ = ["GATE_CASES", "Asked", "check_gate", "check_agent_loop"]
