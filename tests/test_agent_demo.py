"""agent_demo: scripted models, the demo store and transcripts of agent runs."""

import json

import pytest

from agentic_tuning import agent_demo as demo
from agentic_tuning.agent import run_agent
from agentic_tuning.executor import TaskExecutor, TaskStore


@pytest.fixture
def store():
    with TaskStore(today=demo.DEMO_TODAY) as s:
        yield demo.seed_store(s)


def test_seeded_store_table(store):
    frame = demo.tasks_frame(store)
    assert list(frame.index) == ["task_1", "task_2", "task_3", "task_4"]
    assert list(frame.columns) == ["title", "due_date", "priority", "status", "tags"]
    assert frame.loc["task_1", "tags"] == "finance" and frame.loc["task_4", "status"] == "done"
    assert frame.loc["task_2", "due_date"] == ""
    assert demo.store_counts(store) == {"tasks": 4, "subtasks": 0, "comments": 0, "reminders": 0}


def test_scripted_model_replies_in_order_and_can_read_results(store):
    def update_found(messages):
        found = json.loads(messages[-1]["content"])["result"]
        return demo.calls(("update_task", {"task_id": found[0]["id"], "status": "done"}), first_id=1)

    model = demo.ScriptedModel(demo.calls(("search_tasks", {"query": "budget"})), update_found,
                               demo.answer("Marked it done."))
    run = run_agent("Mark the budget task as done", model, TaskExecutor(store))
    assert store.get_task("task_1")["status"] == "done"
    assert len(model.seen) == 3
    table = demo.transcript(run)
    assert list(table["role"]) == ["user", "assistant", "tool", "assistant", "tool", "assistant"]
    assert list(table["step"]) == [0, 1, 1, 2, 2, 3]
    assert table.loc[1, "message"] == 'search_tasks(query="budget")'
    assert table.loc[2, "message"].startswith("ok: ") and table.loc[2, "gate"] == "execute"
    assert table.loc[5, "message"] == "💬 Marked it done."
    assert len(demo.transcript(run, include_system=True)) == len(table) + 1


def test_transcript_shows_denied_and_rejected_calls(store):
    model = demo.ScriptedModel(
        demo.calls(("delete_all_tasks", {"scope": "all"}), ("create_task", {"title": "x", "priority": "urgent"})),
    )
    run = run_agent("Hi", model, TaskExecutor(store), max_steps=2)
    table = demo.transcript(run)
    gates = list(table.loc[table["role"] == "tool", "gate"])
    assert gates == ["confirm: denied", "reject"]
    assert "error denied_by_user" in table.loc[2, "message"]
    assert len(store.all_tasks()) == 4
    assert table.iloc[-1]["message"] == "💬 (the script has no more replies)"


def test_transcript_hides_timestamps(store):
    model = demo.ScriptedModel(demo.calls(("create_task", {"title": "Call the dentist"})), demo.answer("Done."))
    table = demo.transcript(run_agent("Add it", model, TaskExecutor(store)))
    assert "created_at" not in table.loc[2, "message"] and '"title": "Call the dentist"' in table.loc[2, "message"]
