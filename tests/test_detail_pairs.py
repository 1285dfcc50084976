import json

from agentic_tuning.conversations import read_jsonl, reference_calls
from agentic_tuning.data.detail_pairs import pair_new_tasks, pair_without_details
from agentic_tuning.data.phrasings import wording_pool
from agentic_tuning.data.scenarios import capitalize
from agentic_tuning.paths import DATA_DIR
from agentic_tuning.tools import validate_arguments


def _train():
    return read_jsonl(DATA_DIR / "train.jsonl")


def test_a_paired_example_starts_as_before_and_ends_in_the_same_wording_with_a_title_only_call():
    examples = _train()
    paired, changed = pair_new_tasks(examples)
    assert changed > 0 and paired == pair_new_tasks(examples)[0]
    seen = 0
    for before, after in zip(examples, paired):
        if before == after:
            continue
        seen += 1
        first_call = reference_calls(before["messages"][2])[0]
        assert after["messages"][:len(before["messages"])] == before["messages"]
        assert set(first_call["arguments"]) != {"title"} and after["category"] == "multi_turn"
        tool, summary, request, answer = after["messages"][-4:]
        assert tool["role"] == "tool" and json.loads(tool["content"])["ok"] and summary["content"]
        template = wording_pool("create", "train")[int(before["templates"][0].rsplit("/", 1)[1])]
        title = after["values"][-1]
        assert request == {"role": "user", "content": template.format(title=title, Title=capitalize(title),
                                                                     details="")}
        [second_call] = reference_calls(answer)
        assert second_call == {"name": "create_task", "arguments": {"title": capitalize(title)}}
        assert second_call["arguments"]["title"] != first_call["arguments"]["title"]
        assert validate_arguments("create_task", second_call["arguments"]) == []
    assert seen == changed


def test_examples_that_are_not_a_new_task_with_details_in_a_create_wording_stay_as_they_were():
    for line, example in enumerate(_train()):
        calls = example["messages"][2].get("tool_calls") or []
        is_create = len(calls) == 1 and calls[0]["function"]["name"] == "create_task"
        title_only = is_create and set(json.loads(calls[0]["function"]["arguments"])) == {"title"}
        if (example["category"] not in ("single", "final_answer") or not is_create or title_only
                or not example["templates"][0].startswith("create/")):
            assert pair_without_details(example, line) is None
