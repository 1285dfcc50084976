import json
import re

import pytest

from agentic_tuning.conversations import read_jsonl
from agentic_tuning.data import build_split
from agentic_tuning.data.described_tools import (CREATE_TASK_ONLY_DIR, DEFAULT_PARTS, DESCRIBED_TOOLS_DIR,
                                                 DESCRIPTION_PARTS, FIELDS_UNNAMED_DESCRIPTIONS, FIELDS_UNNAMED_DIR,
                                                 GIVEN_FIELDS_DESCRIPTIONS, VALUE_DESCRIPTIONS, VALUES_ONLY_DIR,
                                                 description_key, described_tools, main, new_descriptions,
                                                 with_described_tools)
from agentic_tuning.data.phrasings import TEMPLATES
from agentic_tuning.paths import DATA_DIR
from agentic_tuning.tools import load_tools, tools_by_name


def test_every_enum_value_is_named_in_its_arguments_description():
    enums = [(tool["function"]["name"], argument, schema) for tool in described_tools(load_tools())
             for argument, schema in tool["function"]["parameters"]["properties"].items() if "enum" in schema]
    assert enums
    for name, argument, schema in enums:
        for value in schema["enum"]:
            assert f"'{value}'" in schema["description"], (name, argument, value)


def _without_descriptions(value):
    if isinstance(value, dict):
        return {key: _without_descriptions(item) for key, item in value.items() if key != "description"}
    return [_without_descriptions(item) for item in value] if isinstance(value, list) else value


def _description(tools: list[dict], key: tuple[str, str | None]) -> str | None:
    name, argument = key
    function = tools_by_name(tools)[name]["function"]
    return (function if argument is None else function["parameters"]["properties"][argument]).get("description")


@pytest.mark.parametrize("parts", [DEFAULT_PARTS, ("values",), ("given_fields",), ("fields_unnamed",)])
def test_only_the_descriptions_of_the_parts_asked_for_change(parts):
    tools = load_tools()
    described = described_tools(tools, parts)
    assert tools == load_tools(), "the committed tools are left as they were"
    assert _without_descriptions(described) == _without_descriptions(tools)
    written = new_descriptions(parts)
    for key in {key for descriptions in DESCRIPTION_PARTS.values() for key in descriptions}:
        if key in written:
            assert _description(described, key) == written[key] != _description(tools, key), key
        else:
            assert _description(described, key) == _description(tools, key), key


def test_two_parts_describing_one_argument_join_in_the_order_of_the_parts():
    both = new_descriptions()
    assert both["create_task", "priority"] == ("How urgent the task is: 'low', 'medium' or 'high'. "
                                               "Only when the user says how urgent it is.")
    assert new_descriptions(("given_fields", "values")) == both
    assert new_descriptions(("values",)) == VALUE_DESCRIPTIONS


def test_the_unnamed_fields_sentence_is_create_tasks_given_fields_sentence_without_the_fields_it_names():
    assert DEFAULT_PARTS == ("values", "given_fields"), "fields_unnamed rewords a default sentence, so is not one"
    named = GIVEN_FIELDS_DESCRIPTIONS["create_task", None]
    unnamed = FIELDS_UNNAMED_DESCRIPTIONS["create_task", None]
    assert list(FIELDS_UNNAMED_DESCRIPTIONS) == [("create_task", None)]
    assert named.startswith(unnamed.removesuffix(".")) and len(unnamed) < len(named)
    for field in ("due date", "priority", "description", "tags"):
        assert field in named and field not in unnamed, field


def test_only_the_descriptions_named_are_written():
    assert description_key("create_task") == ("create_task", None)
    assert description_key("update_task.status") == ("update_task", "status")
    only = {("create_task", None), ("update_task", "status")}
    assert new_descriptions(only=only) == {key: new_descriptions()[key] for key in only}
    assert new_descriptions(("given_fields",), only) == {("create_task", None):
                                                         GIVEN_FIELDS_DESCRIPTIONS["create_task", None]}
    tools = load_tools()
    described = described_tools(tools, ("given_fields",), {("create_task", None)})
    assert [new["function"]["name"] for old, new in zip(tools, described) if new != old] == ["create_task"]
    assert _description(described, ("create_task", None)) == GIVEN_FIELDS_DESCRIPTIONS["create_task", None]


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
    new = set().union(*map(_word_trigrams, new_descriptions(tuple(DESCRIPTION_PARTS)).values())) - committed
    assert new
    for intent, pools in TEMPLATES.items():
        for split in set(pools) - {"train"}:
            for wording in _texts(pools[split]):
                for fragment in re.split(r"\{[^}]*\}", wording):
                    assert not _word_trigrams(fragment) & new, (split, intent, wording)


COMMITTED_COPIES = {
    DESCRIBED_TOOLS_DIR: ([], DEFAULT_PARTS, None),
    VALUES_ONLY_DIR: (["--parts", "values"], ("values",), None),
    CREATE_TASK_ONLY_DIR: (["--parts", "given_fields", "--only", "create_task"], ("given_fields",),
                           {("create_task", None)}),
    FIELDS_UNNAMED_DIR: (["--parts", "fields_unnamed"], ("fields_unnamed",), None),
}
"""Each committed folder of copies -> the command-line options that write it, and the parts and descriptions
those options select."""


def test_a_split_copy_differs_from_its_split_in_the_tools_only(tmp_path):
    examples = build_split("train", 40, 0)
    copies, changed = with_described_tools(examples)
    assert changed == len(examples)
    for example, copy in zip(examples, copies):
        assert copy["messages"] == example["messages"]
        assert copy["tools"] == described_tools(example["tools"]) != example["tools"]
    source, out = tmp_path / "split.jsonl", tmp_path / "copy.jsonl"
    source.write_text("".join(json.dumps(example) + "\n" for example in examples))
    for options, parts, only in COMMITTED_COPIES.values():
        main([*options, "--data", str(source), "--out", str(out)])
        expected = with_described_tools(examples, parts, only)[0]
        assert [json.loads(line) for line in out.read_text().splitlines()] == json.loads(json.dumps(expected)), options
        assert (expected == copies) == (parts == DEFAULT_PARTS), options


def test_the_committed_copies_are_the_splits_with_the_described_tools():
    for split in ("dev", "dev_wide", "test"):
        examples = read_jsonl(DATA_DIR / f"{split}.jsonl")
        for folder, (_, parts, only) in COMMITTED_COPIES.items():
            if split != "test" or folder == DESCRIBED_TOOLS_DIR:
                assert read_jsonl(folder / f"{split}.jsonl") == with_described_tools(examples, parts, only)[0], (
                    folder, split)
