import json
import re

import pytest

from agentic_tuning.data import build_split
from agentic_tuning.data.phrasings import wording_pool
from agentic_tuning.data.reword import reword_split, template_slots

NEW = {"update_status/done": ["Flag {id} as finished", "{id} has been completed"],
       "delete_all/all": ["I want all my tasks gone"]}


def test_template_slots_restores_the_values_a_request_was_made_from():
    assert template_slots("Mark {id} as done", "Mark task 64 as done") == {"id": "task 64"}
    assert template_slots("{id} is complete", "Task_966 is complete") == {"id": "task_966"}
    assert template_slots("Make {id} {priority} priority", "Make task #3 high priority") == {
        "id": "task #3", "priority": "high"}
    assert template_slots("Delete everything", "Delete everything") == {}


def test_template_slots_refuses_what_it_cannot_restore():
    with pytest.raises(ValueError, match="was not made from"):
        template_slots("Mark {id} as done", "Reopen task 64")
    with pytest.raises(ValueError, match="restore the case"):
        template_slots("{title} is due", "Buy milk is due")
    with pytest.raises(ValueError, match="adjacent"):
        template_slots("Add {title}{details}", "Add buy milk tomorrow")


@pytest.fixture(scope="module")
def train():
    return build_split("train", 3000, 0)


def test_reword_split_changes_only_the_requests_of_the_pools_given(train):
    reworded, changed = reword_split(train, NEW)
    differing = [(before, after) for before, after in zip(train, reworded) if before != after]
    assert changed == len(differing) > 0
    for before, after in differing:
        pool = before["templates"][0].rsplit("/train/", 1)[0]
        intent, key = pool.split("/")
        old = wording_pool(intent, "train", key)
        assert before["category"] == "single" and pool in NEW
        assert [m for m in before["messages"] if m["role"] != "user"] == [m for m in after["messages"] if m["role"] != "user"]
        wording = NEW[pool][int(after["templates"][0].rsplit("/", 1)[1]) - len(old)]
        request = next(m["content"] for m in after["messages"] if m["role"] == "user")
        assert request.lower() == wording.format(id=_task_id(before)).lower()


def _task_id(example: dict) -> str:
    """How the user named the task in ``example``'s request: the digits of its call's task_id, as spoken."""
    call = json.loads(example["messages"][-1]["tool_calls"][0]["function"]["arguments"])
    request = next(m["content"] for m in example["messages"] if m["role"] == "user")
    if "task_id" not in call:
        return ""
    digits = call["task_id"].removeprefix("task_")
    return re.search(rf"task(?:_| | #){digits}\b", request, re.IGNORECASE).group(0)


def test_reword_split_without_new_wordings_is_the_split_as_it_was(train):
    assert reword_split(train, {}) == (train, 0)
