import json

import pytest

from agentic_tuning.conversations import read_jsonl
from agentic_tuning.data.rejected_calls import OPTIONAL_CREATE_FIELDS, rejected_answer, rejected_messages
from agentic_tuning.paths import DATA_DIR
from agentic_tuning.tools import validate_arguments


def _call(name: str, **arguments) -> dict:
    return {"id": "call_0", "type": "function", "function": {"name": name, "arguments": json.dumps(arguments)}}


def _example(*calls: dict, category: str = "single") -> dict:
    messages = [{"role": "system", "content": "Today is Monday, 2027-03-01."},
                {"role": "user", "content": "..."},
                {"role": "assistant", "content": None, "tool_calls": list(calls)}]
    return {"category": category, "today": "2027-03-01", "messages": messages}


def _arguments(answer: dict) -> list[dict]:
    return [json.loads(call["function"]["arguments"]) for call in answer["tool_calls"]]


def test_a_new_task_gets_one_field_nobody_asked_for_and_stays_schema_valid(tools):
    example = _example(_call("create_task", title="Water the plants", priority="low"))
    [arguments] = _arguments(rejected_answer(example))
    added = set(arguments) - {"title", "priority"}
    assert len(added) == 1 and added <= set(OPTIONAL_CREATE_FIELDS)
    assert arguments["title"] == "Water the plants" and arguments["priority"] == "low"
    assert validate_arguments("create_task", arguments, tools) == []


def test_the_wrong_answer_depends_on_the_seed_only():
    example = _example(_call("create_task", title="Water the plants"))
    assert rejected_answer(example, seed=3) == rejected_answer(example, seed=3)
    assert len({json.dumps(_arguments(rejected_answer(example, seed))) for seed in range(20)}) > 1


def test_two_calls_become_the_first_alone():
    first, second = _call("delete_task", task_id="task_1"), _call("list_tasks", filter="all")
    answer = rejected_answer(_example(first, second, category="parallel"))
    assert answer["tool_calls"] == [first] and answer["content"] is None


@pytest.mark.parametrize("example", [
    _example(_call("delete_task", task_id="task_1")),
    _example(_call("create_task", title="T", due_date="Friday", priority="high", description="D", tags=["work"])),
    {"category": "no_tool", "today": "2027-03-01",
     "messages": [{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Hello!"}]},
])
def test_other_answers_and_complete_new_tasks_get_none(example):
    assert rejected_answer(example) is None and rejected_messages(example) is None


def test_multi_turn_examples_get_none():
    example = _example(_call("create_task", title="T"))
    example["messages"] += [{"role": "tool", "tool_call_id": "call_0", "content": "{}"},
                            {"role": "user", "content": "Now add a note"},
                            {"role": "assistant", "content": None, "tool_calls": [_call("add_comment", task_id="t",
                                                                                       text="x")]}]
    assert rejected_answer(example) is None


def test_the_train_split_pairs_every_parallel_request_and_the_incomplete_new_tasks(tools):
    examples = read_jsonl(DATA_DIR / "train.jsonl")
    paired = [(example, rejected_messages(example)) for example in examples]
    paired = [(example, messages) for example, messages in paired if messages is not None]
    assert {example["category"] for example, _ in paired} == {"single", "parallel"}
    assert sum(example["category"] == "parallel" for example, _ in paired) == sum(
        example["category"] == "parallel" for example in examples)
    for example, messages in paired:
        assert messages[:-1] == example["messages"][:-1] and messages[-1] != example["messages"][-1]
        for call in messages[-1]["tool_calls"]:
            arguments = json.loads(call["function"]["arguments"])
            assert validate_arguments(call["function"]["name"], arguments, tools) == []
