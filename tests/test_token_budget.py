import json

import pytest

from agentic_tuning import token_budget as tb
from agentic_tuning.chat_template import tokenize_for_training
from agentic_tuning.data import build_split
from agentic_tuning.generation import shared_prefix_ids


@pytest.fixture(scope="module")
def examples():
    return build_split("train", 30, seed=4)


def test_example_budget_splits_the_tokens_after_the_shared_prefix(tokenizer, examples):
    example = examples[0]
    prefix = len(shared_prefix_ids(tokenizer, example["tools"]))
    budget = tb.example_budget(tokenizer, example, prefix)
    row = tokenize_for_training(tokenizer, example["messages"], example["tools"])
    assert budget["per_example"] == len(row["input_ids"]) - prefix
    assert 0 < budget["trained"] < budget["per_example"]


def test_token_budget_means_add_up_over_categories(tokenizer, examples):
    budget = tb.token_budget(tokenizer, examples)
    assert budget["overall"]["n_examples"] == len(examples)
    assert sum(c["n_examples"] for c in budget["by_category"].values()) == len(examples)
    weighted = sum(c["n_examples"] * c["trained"] for c in budget["by_category"].values()) / len(examples)
    assert abs(weighted - budget["overall"]["trained"]) <= 0.1  # both sides rounded to 0.1


def test_description_tokens_are_what_the_prefix_loses_without_descriptions(tokenizer, examples):
    tools = examples[0]["tools"]
    bare = tb.without_descriptions(tools)

    def described(tools):
        return [name for tool in tools for name, schema in
                [("", tool["function"]), *tool["function"]["parameters"]["properties"].items()] if "description" in schema]

    assert described(bare) == [] and "due_date" in described(tools), "a stripped copy; the tools stay as they were"
    assert [t["function"]["name"] for t in bare] == [t["function"]["name"] for t in tools]
    assert tb.without_descriptions(None) is None, "data without tools has no descriptions to strip"
    budget = tb.token_budget(tokenizer, examples)
    assert budget["shared_prefix_description_tokens"] == (
        budget["shared_prefix_tokens"] - len(shared_prefix_ids(tokenizer, bare)))
    assert 0 < budget["shared_prefix_description_tokens"] < budget["shared_prefix_tokens"]


def test_main_writes_the_budget_with_its_data_file(tmp_path, examples, tokenizer):
    data = tmp_path / "few.jsonl"
    data.write_text("".join(json.dumps(e) + "\n" for e in examples[:5]))
    out = tmp_path / "budget.json"
    written = tb.main(["--data", str(data), "--out", str(out)])
    assert json.loads(out.read_text()) == written
    assert written["overall"]["n_examples"] == 5 and written["data"]["path"] == str(data)
