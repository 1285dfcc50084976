import json
from collections import Counter

import pytest

from agentic_tuning.data import build_split
from agentic_tuning.data.even_values import EVEN_ARGUMENTS, even_values
from agentic_tuning.data.phrasings import wording_pool
from agentic_tuning.data.reword import template_slots
from agentic_tuning.tools import tool_schema, validate_arguments


@pytest.fixture(scope="module")
def train():
    return build_split("train", 3000, 0)


@pytest.fixture(scope="module")
def evened(train):
    return even_values(train)


def _pool(example: dict) -> str:
    return example["templates"][0].rsplit("/train/", 1)[0] if example["category"] == "single" else ""


def _call(example: dict) -> dict:
    return example["messages"][-1]["tool_calls"][0]["function"]


def _request(example: dict) -> str:
    return next(m["content"] for m in example["messages"] if m["role"] == "user")


def test_even_values_changes_only_the_value_of_single_requests_of_the_skewed_pools(train, evened):
    copies, changed = evened
    differing = [(before, after) for before, after in zip(train, copies) if before != after]
    assert changed == len(differing) > 0
    for before, after in differing:
        intent, old_value = _pool(before).split("/")
        new_intent, value = _pool(after).split("/")
        tool, argument = EVEN_ARGUMENTS[intent]
        assert new_intent == intent and value != old_value and _call(after)["name"] == tool
        arguments = json.loads(_call(after)["arguments"])
        assert arguments == {**json.loads(_call(before)["arguments"]), argument: value}
        assert validate_arguments(tool, arguments) == []
        wording = wording_pool(intent, "train", value)[int(after["templates"][0].rsplit("/", 1)[1])]
        old_wording = wording_pool(intent, "train", old_value)[int(before["templates"][0].rsplit("/", 1)[1])]
        assert template_slots(wording, _request(after)) == template_slots(old_wording, _request(before))
        assert after["messages"][0] == before["messages"][0] and len(after["messages"]) == len(before["messages"])


def test_even_values_asks_each_value_of_the_enum_about_equally_often(train, evened):
    for examples, even in ((train, False), (evened[0], True)):
        counts = Counter(_pool(example) for example in examples)
        for intent, (tool, argument) in EVEN_ARGUMENTS.items():
            asked = [counts[f"{intent}/{value}"] for value in tool_schema(tool)["properties"][argument]["enum"]]
            assert (min(asked) > 0.7 * max(asked)) == even, (intent, asked)


def test_even_values_leaves_a_split_without_those_requests_as_it_was(train):
    others = [example for example in train if _pool(example).split("/")[0] not in EVEN_ARGUMENTS]
    assert even_values(others) == (others, 0)


def test_even_values_of_one_intent_leaves_the_others_as_they_were(train, evened):
    scopes, changed = even_values(train, intents=("delete_all",))
    assert 0 < changed < evened[1]
    for before, after, both in zip(train, scopes, evened[0]):
        assert after == (both if _pool(before).startswith("delete_all/") else before)
    with pytest.raises(ValueError, match="no even values"):
        even_values(train, intents=("update_priority",))
