import json

import pytest

from agentic_tuning.conversations import read_jsonl
from agentic_tuning.data.request_order import in_request_order, reorder_create_calls
from agentic_tuning.paths import DATA_DIR


def test_in_request_order_follows_where_each_value_is_said():
    arguments = {"title": "File the claim", "due_date": "Friday", "priority": "low", "tags": ["home", "legal"]}
    ordered = in_request_order(arguments, "New low-priority task: file the claim tagged home and legal by Friday")
    assert list(ordered) == ["priority", "title", "tags", "due_date"] and ordered == arguments


def test_in_request_order_refuses_a_value_the_request_does_not_say():
    with pytest.raises(ValueError, match="due_date"):
        in_request_order({"title": "File the claim", "due_date": "Friday"}, "Add a task: file the claim")


def test_reorder_create_calls_changes_only_the_order_of_new_tasks_arguments():
    examples = read_jsonl(DATA_DIR / "train.jsonl")[:400]
    reordered, changed = reorder_create_calls(examples)
    assert changed > 0 and len(reordered) == len(examples)
    moved = 0
    for before, after in zip(examples, reordered):
        for old, new in zip(before["messages"], after["messages"]):
            assert {k: v for k, v in old.items() if k != "tool_calls"} == {k: v for k, v in new.items() if k != "tool_calls"}
            for old_call, new_call in zip(old.get("tool_calls") or [], new.get("tool_calls") or []):
                old_args, new_args = (json.loads(c["function"]["arguments"]) for c in (old_call, new_call))
                assert old_args == new_args
                if old_call["function"]["name"] != "create_task":
                    assert old_call == new_call
                moved += list(old_args) != list(new_args)
    assert moved == changed
