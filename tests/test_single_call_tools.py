from collections import Counter

import pytest

from agentic_tuning.conversations import read_jsonl
from agentic_tuning.data.even_wordings import apportion, category_counts
from agentic_tuning.data.single_call_tools import (main, parse_weight, select_with_tool_weights, single_call_tool,
                                                   single_calls_by_tool)
from agentic_tuning.paths import DATA_DIR


def _single(tool: str, line: int) -> dict:
    call = {"type": "function", "function": {"name": tool, "arguments": "{}"}}
    messages = [{"role": "user", "content": "..."}, {"role": "assistant", "content": None, "tool_calls": [call]}]
    return {"category": "single", "line": line, "messages": messages}


def _examples() -> list[dict]:
    tools = ["create_task"] * 20 + ["delete_task"] * 20 + ["search_tasks"] * 20
    return [_single(tool, line) for line, tool in enumerate(tools)] + [
        {"category": "no_tool", "line": 60 + i, "messages": []} for i in range(20)]


def test_apportion_follows_the_weights_and_adds_up():
    assert apportion({"a": 3, "b": 1, "c": 1}, 10) == {"a": 6, "b": 2, "c": 2}
    counts = apportion({"a": 1, "b": 1, "c": 1}, 10)
    assert sum(counts.values()) == 10 and sorted(counts.values()) == [3, 3, 4]


def test_a_weighted_tool_gets_that_many_times_the_single_calls_of_each_other():
    chosen = select_with_tool_weights(_examples(), 40, {"create_task": 2})
    assert Counter(example["category"] for example in chosen) == {"single": 30, "no_tool": 10}
    assert single_calls_by_tool(chosen) == {"create_task": 15, "delete_task": 8, "search_tasks": 7}
    assert len({example["line"] for example in chosen}) == 40, "no example is chosen twice"


def test_without_weights_every_tool_gets_as_many():
    chosen = select_with_tool_weights(_examples(), 40, {})
    assert sorted(single_calls_by_tool(chosen).values()) == [10, 10, 10]


def test_a_tool_the_split_lacks_and_more_calls_than_a_pool_holds_are_refused():
    with pytest.raises(ValueError, match=r"no single calls of \['create_tsak'\]"):
        select_with_tool_weights(_examples(), 40, {"create_tsak": 2})
    with pytest.raises(ValueError, match="36 single calls of create_task asked for, and the split has 20"):
        select_with_tool_weights(_examples(), 60, {"create_task": 8})
    with pytest.raises(ValueError, match="choose between 1 and 80 examples, not 81"):
        select_with_tool_weights(_examples(), 81, {})


@pytest.mark.parametrize("text", ["create_task", "create_task=0", "create_task=-1"])
def test_a_weight_needs_a_number_above_zero(text):
    with pytest.raises(ValueError, match="a weight is TOOL=NUMBER above 0"):
        parse_weight(text)


def test_the_train_split_copy_keeps_the_mix_and_triples_new_tasks():
    examples = read_jsonl(DATA_DIR / "train.jsonl")
    chosen = select_with_tool_weights(examples, 880, {"create_task": 3})
    assert Counter(example["category"] for example in chosen) == Counter(category_counts(examples, 880))
    by_tool = single_calls_by_tool(chosen)
    assert by_tool["create_task"] == 91 and all(30 <= count <= 31 for tool, count in by_tool.items()
                                                 if tool != "create_task")
    assert all(single_call_tool(example) for example in chosen if example["category"] == "single")
    assert chosen == select_with_tool_weights(examples, 880, {"create_task": 3})


def test_the_command_writes_the_chosen_examples_and_the_counts(tmp_path, capsys):
    out = tmp_path / "weighted.jsonl"
    main(["--examples", "30", "--weight", "create_task=3", "--out", str(out)])
    assert len(read_jsonl(out)) == 30
    printed = capsys.readouterr().out
    assert "single calls by tool: {" in printed and "in a uniform draw of as many" in printed
