import json
import re

from agentic_tuning.conversations import read_jsonl
from agentic_tuning.data import build_split
from agentic_tuning.data.described_tools import (ARGUMENT_DESCRIPTIONS, DESCRIBED_TOOLS_DIR, TOOL_DESCRIPTIONS,
                                                 described_tools, main, with_described_tools)
from agentic_tuning.data.phrasings import TEMPLATES
from agentic_tuning.paths import DATA_DIR
from agentic_tuning.tools import load_tools


def _schemas(tools: list[dict]) -> dict:
    return {tool["function"]["name"]: tool["function"] for tool in tools}


def test_every_enum_value_is_named_in_its_arguments_description():
    described = _schemas(described_tools(load_tools()))
    enums = [(name, argument, schema["enum"]) for name, function in described.items()
             for argument, schema in function["parameters"]["properties"].items() if "enum" in schema]
    assert enums
    for name, argument, values in enums:
        description = described[name]["parameters"]["properties"][argument]["description"]
        for value in values:
            assert f"'{value}'" in description, (name, argument, value)


def test_only_descriptions_change_and_each_named_one_does():
    tools = load_tools()
    described = described_tools(tools)
    assert tools == load_tools(), "the committed tools are left as they were"

    def without_descriptions(value):
        if isinstance(value, dict):
            return {key: without_descriptions(item) for key, item in value.items() if key != "description"}
        return [without_descriptions(item) for item in value] if isinstance(value, list) else value

    assert without_descriptions(described) == without_descriptions(tools)
    before, after = _schemas(tools), _schemas(described)
    for name in TOOL_DESCRIPTIONS:
        assert after[name]["description"] != before[name]["description"]
    for name, argument in ARGUMENT_DESCRIPTIONS:
        assert argument in before[name]["parameters"]["properties"], (name, argument)
        assert (after[name]["parameters"]["properties"][argument]["description"]
                != before[name]["parameters"]["properties"][argument].get("description"))


def _word_trigrams(text: str) -> set[tuple[str, ...]]:
    words = re.findall(r"[a-z0-9_']+", text.casefold())
    return {tuple(words[i:i + 3]) for i in range(len(words) - 2)}


def _texts(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    return [text for item in (value.values() if isinstance(value, dict) else value) for text in _texts(item)]


def test_the_new_descriptions_share_no_three_words_with_a_held_out_wording():
    committed = set().union(*(_word_trigrams(tool["function"]["description"]) | set().union(
        *(_word_trigrams(schema.get("description", "")) for schema in tool["function"]["parameters"]["properties"]
          .values())) for tool in load_tools()))
    new = set().union(*map(_word_trigrams, [*TOOL_DESCRIPTIONS.values(), *ARGUMENT_DESCRIPTIONS.values()])) - committed
    assert new
    for intent, pools in TEMPLATES.items():
        for split in set(pools) - {"train"}:
            for wording in _texts(pools[split]):
                for fragment in re.split(r"\{[^}]*\}", wording):
                    assert not _word_trigrams(fragment) & new, (split, intent, wording)


def test_a_split_copy_differs_from_its_split_in_the_tools_only(tmp_path):
    examples = build_split("train", 40, 0)
    copies, changed = with_described_tools(examples)
    assert changed == len(examples)
    for example, copy in zip(examples, copies):
        assert copy["messages"] == example["messages"]
        assert copy["tools"] == described_tools(example["tools"]) != example["tools"]
    source, out = tmp_path / "split.jsonl", tmp_path / "copy.jsonl"
    source.write_text("".join(json.dumps(example) + "\n" for example in examples))
    main(["--data", str(source), "--out", str(out)])
    assert [json.loads(line) for line in out.read_text().splitlines()] == json.loads(json.dumps(copies))


def test_the_committed_copies_are_the_splits_with_the_described_tools():
    for split in ("dev", "dev_wide", "test"):
        copies, _ = with_described_tools(read_jsonl(DATA_DIR / f"{split}.jsonl"))
        assert read_jsonl(DESCRIBED_TOOLS_DIR / f"{split}.jsonl") == copies, split
