import copy
import json
import random

import pytest

from agentic_tuning.conversations import assistant_calls
from agentic_tuning.selfcheck import lab03
from agentic_tuning.tools import load_tools

# The reference solution of exercise 1.
ARCHIVE_TOOL = {
    "type": "function",
    "function": {
        "name": "archive_task",
        "description": "Archive a finished task: it disappears from lists but is not deleted.",
        "parameters": {
            "type": "object",
            "properties": {"task_id": {"type": "string", "pattern": "^task_\\d+$"}},
            "required": ["task_id"],
            "additionalProperties": False,
        },
    },
}
TOOLS = load_tools() + [ARCHIVE_TOOL]
SYSTEM = "Today is Monday, 2026-03-02. You are the backend of a task app. Respond with tool calls."
PHRASINGS = ["Archive task {n}", "Please move task {n} to the archive.", "Task {n} is finished, archive it",
             "Could you archive task {n}?", "put task_{n} in the archive"]


def make_archive_example(rng):
    """The reference solution of exercise 2."""
    number = rng.randint(1, 999)
    request = rng.choice(PHRASINGS).format(n=number)
    reference = assistant_calls([("archive_task", {"task_id": f"task_{number}"})])
    return {"messages": [{"role": "system", "content": SYSTEM}, {"role": "user", "content": request}, reference],
            "tools": TOOLS}


def test_reference_solutions_pass(capsys):
    lab03.check_tool_definition(ARCHIVE_TOOL)
    lab03.check_generator(make_archive_example)
    assert capsys.readouterr().out.count("✅") == 2


@pytest.mark.parametrize("change, message", [
    (lambda f: f["parameters"].pop("required"), "must be required"),
    (lambda f: f["parameters"]["properties"]["task_id"].pop("pattern"), "pattern"),
    (lambda f: f["parameters"].pop("additionalProperties"), "additionalProperties"),
    (lambda f: f.update(name="archive"), "archive_task"),
    (lambda f: f.update(description=""), "description"),
    (lambda f: f["parameters"].update(type="objekt"), "not a valid JSON Schema"),
])
def test_rejects_broken_definitions(change, message):
    tool = copy.deepcopy(ARCHIVE_TOOL)
    change(tool["function"])
    with pytest.raises(AssertionError, match=message):
        lab03.check_tool_definition(tool)


def _broken(edit):
    def generator(rng):
        example = make_archive_example(rng)
        edit(example)
        return example
    return generator


def _arguments_as_dict(example):
    function = example["messages"][-1]["tool_calls"][0]["function"]
    function["arguments"] = json.loads(function["arguments"])


@pytest.mark.parametrize("generator, message", [
    (_broken(lambda e: e["messages"][-1].update(content="Archiving it now")), '"content": None'),
    (_broken(_arguments_as_dict), "JSON \\*string\\*"),
    (_broken(lambda e: e.update(tools=load_tools())), "must include"),
    (_broken(lambda e: e["messages"].pop(0)), "system, user, assistant"),
    (_broken(lambda e: e["messages"][1].update(content="Archive that task")), "must mention the task number"),
    (_broken(lambda e: e["messages"][-1]["tool_calls"][0]["function"].update(arguments='{"task_id": "7"}')),
     "do not validate"),
    (lambda rng: make_archive_example(random.Random()), "same seed"),
])
def test_rejects_broken_generators(generator, message):
    with pytest.raises(AssertionError, match=message):
        lab03.check_generator(generator)


def test_rejects_a_single_phrasing():
    def one_phrasing(rng):
        number = rng.randint(1, 999)
        example = make_archive_example(rng)
        example["messages"][1]["content"] = f"Archive task {number}"
        example["messages"][2] = assistant_calls([("archive_task", {"task_id": f"task_{number}"})])
        return example

    with pytest.raises(AssertionError, match="distinct phrasings"):
        lab03.check_generator(one_phrasing)
