"""Tests for agentic_tuning.formats: the output taxonomy and the lossless converters."""

import copy
import json

import pytest

from agentic_tuning.formats import (
    OutputKind,
    anthropic_messages_to_openai,
    anthropic_to_openai,
    arguments_to_object,
    arguments_to_string,
    call_json,
    hermes_to_openai,
    openai_messages_to_anthropic,
    openai_to_anthropic,
    openai_to_hermes,
    parse_model_output,
)
from agentic_tuning.paths import TOOLS_PATH

with open(TOOLS_PATH, encoding="utf-8") as f:
    TOOLS = json.load(f)


def block(name, arguments):
    return f"<tool_call>\n{call_json(name, arguments)}\n</tool_call>"


def parse(text):
    return parse_model_output(text, TOOLS)


def assert_plain_content(parsed, text):
    assert parsed.message == {"role": "assistant", "content": text.strip()}


# ---------------------------------------------------------------- one test per kind


def test_valid_call():
    parsed = parse(block("create_task", {"title": "Review Q4 budget", "priority": "high"}))
    assert parsed.kind is OutputKind.VALID_CALLS
    assert parsed.json_valid and parsed.strict_format and parsed.errors == []
    assert parsed.calls == [{"name": "create_task", "arguments": {"title": "Review Q4 budget", "priority": "high"}}]
    assert parsed.message == {
        "role": "assistant",
        "content": None,
        "tool_calls": [
            {
                "id": "call_0",
                "type": "function",
                "function": {"name": "create_task", "arguments": '{"title": "Review Q4 budget", "priority": "high"}'},
            }
        ],
    }


def test_no_call():
    text = 'Sure! I\'ll create a task called "Review Q4 budget" for Friday. Let me know if you need anything else.'
    parsed = parse(text)
    assert parsed.kind is OutputKind.NO_CALL
    assert parsed.calls == [] and not parsed.json_valid and not parsed.strict_format
    assert_plain_content(parsed, text)


@pytest.mark.parametrize(
    "text",
    [
        "Would you like me to create that task?",
        "This will delete all 14 of your tasks. Shall I go ahead.",
        "Please confirm that you want to delete every completed task.",
        "Which task do you mean, the budget review or the budget report?",
    ],
)
def test_asks_confirmation(text):
    parsed = parse(text)
    assert parsed.kind is OutputKind.ASKS_CONFIRMATION
    assert_plain_content(parsed, text)


@pytest.mark.parametrize(
    "payload",
    [
        """{"name": "create_task", "arguments": {"title": 'x'}}""",
        """{name: "create_task", arguments: {"title": "x"}}""",
        """{"name": "create_task", "arguments": {"title": "x",}}""",
        """{"name": "create_task", "arguments": {"title": "x"}}}""",
        """{"name": "create_task", "arguments": "title=x"}""",
        """{"title": "x"}""",
        "",
    ],
)
def test_malformed_json(payload):
    text = f"<tool_call>\n{payload}\n</tool_call>"
    parsed = parse(text)
    assert parsed.kind is OutputKind.MALFORMED_JSON
    assert not parsed.json_valid and not parsed.strict_format
    assert parsed.calls == [] and parsed.errors
    assert_plain_content(parsed, text)


def test_malformed_json_names_the_json_error():
    parsed = parse("""<tool_call>\n{"name": "create_task", "arguments": {"title": 'x'}}\n</tool_call>""")
    assert "Expecting value" in parsed.errors[0]


def test_malformed_bare_json_is_still_a_call_attempt():
    parsed = parse("""{'name': 'create_task', 'arguments': {'title': 'x'}}""")
    assert parsed.kind is OutputKind.MALFORMED_JSON
    assert "Expecting property name enclosed in double quotes" in parsed.errors[0]


def test_output_that_is_only_an_unparseable_object_is_malformed():
    assert parse('{title: "Buy milk"}').kind is OutputKind.MALFORMED_JSON
    assert parse('Use {braces} for placeholders.').kind is OutputKind.NO_CALL


def test_extra_prose():
    call = block("create_task", {"title": "Review Q4 budget"})
    parsed = parse(f"{call}\nLet me know if you'd like to set a due date too!")
    assert parsed.kind is OutputKind.EXTRA_PROSE
    assert parsed.json_valid and not parsed.strict_format
    assert parsed.message["content"] == "Let me know if you'd like to set a due date too!"
    assert parsed.message["tool_calls"][0]["function"]["name"] == "create_task"


def test_stray_markup_is_extra_prose():
    parsed = parse(block("list_tasks", {"filter": "overdue"}) + "\n</tool_call>")
    assert parsed.kind is OutputKind.EXTRA_PROSE


def test_unknown_tool():
    text = block("delete_everything", {})
    parsed = parse(text)
    assert parsed.kind is OutputKind.UNKNOWN_TOOL
    assert parsed.errors == ["unknown tool 'delete_everything'"]
    assert parsed.calls == [{"name": "delete_everything", "arguments": {}}]
    assert parsed.json_valid and parsed.strict_format
    assert_plain_content(parsed, text)


@pytest.mark.parametrize(
    "arguments, fragment",
    [
        ({"title": "x", "priority": "urgent"}, "'urgent' is not one of"),
        ({"title": "x", "due_date": 5}, "5 is not of type 'string'"),
        ({"priority": "high"}, "missing required argument 'title'"),
        ({"title": "x", "assignee": "bob"}, "unexpected argument 'assignee'"),
        ({"title": "x", "tags": "work"}, "'work' is not of type 'array'"),
    ],
)
def test_schema_violation(arguments, fragment):
    text = block("create_task", arguments)
    parsed = parse(text)
    assert parsed.kind is OutputKind.SCHEMA_VIOLATION
    assert parsed.calls == [{"name": "create_task", "arguments": arguments}]
    assert parsed.json_valid and parsed.strict_format
    assert any(fragment in e for e in parsed.errors), parsed.errors
    assert_plain_content(parsed, text)


@pytest.mark.parametrize(
    "text",
    [
        '<tool_call>\n{"name": "create_task", "argu',
        '<tool_call>\n{"name": "create_task", "arguments": {"title": "x"}}',
        block("list_tasks", {"filter": "all"}) + '\n<tool_call>\n{"name": "search_tasks", "arguments": {"qu',
        '{"name": "create_task", "arguments": {"title": "Buy milk',
        '```json\n{"name": "create_task", "arguments": {',
        '{"na',
    ],
)
def test_truncated(text):
    parsed = parse(text)
    assert parsed.kind is OutputKind.TRUNCATED
    assert not parsed.json_valid and not parsed.strict_format
    assert "cut off" in parsed.errors[0]
    assert_plain_content(parsed, text)


# ---------------------------------------------------------------- precedence and flags


@pytest.mark.parametrize(
    "text, kind",
    [
        ("<tool_call>\n{'name': 'x'}\n</tool_call>\n<tool_call>\n{", OutputKind.TRUNCATED),
        (block("delete_everything", {}) + "\n<tool_call>\n{bad}\n</tool_call>", OutputKind.MALFORMED_JSON),
        (block("create_task", {}) + "\n" + block("delete_everything", {}), OutputKind.UNKNOWN_TOOL),
        ("Done!\n" + block("create_task", {"title": "x", "priority": "urgent"}), OutputKind.SCHEMA_VIOLATION),
    ],
)
def test_kind_precedence(text, kind):
    assert parse(text).kind is kind


def test_without_tools_skips_name_and_schema_checks():
    parsed = parse_model_output(block("delete_everything", {"force": True}))
    assert parsed.kind is OutputKind.VALID_CALLS and parsed.errors == []


def test_parallel_calls():
    text = "\n".join(
        [
            block("search_tasks", {"query": "budget"}),
            block("list_tasks", {"filter": "overdue"}),
            block("set_reminder", {"task_id": "task_3", "remind_at": "2025-01-10T09:00"}),
        ]
    )
    parsed = parse(text)
    assert parsed.kind is OutputKind.VALID_CALLS and parsed.strict_format
    assert [c["name"] for c in parsed.calls] == ["search_tasks", "list_tasks", "set_reminder"]
    assert [tc["id"] for tc in parsed.message["tool_calls"]] == ["call_0", "call_1", "call_2"]


def test_one_bad_call_among_parallel_calls_fails_the_whole_output():
    text = block("search_tasks", {"query": "budget"}) + "\n" + block("delete_task", {"task_id": "7"})
    parsed = parse(text)
    assert parsed.kind is OutputKind.SCHEMA_VIOLATION
    assert len(parsed.calls) == 2 and "tool_calls" not in parsed.message


@pytest.mark.parametrize(
    "text",
    [
        '{"name": "list_tasks", "arguments": {"filter": "all"}}',
        '```json\n{"name": "list_tasks", "arguments": {"filter": "all"}}\n```',
        '{"name": "list_tasks", "parameters": {"filter": "all"}}',
        '{"name": "list_tasks", "arguments": "{\\"filter\\": \\"all\\"}"}',
        '<tool_call>\n{"name": "list_tasks", "parameters": {"filter": "all"}}\n</tool_call>',
    ],
)
def test_lenient_calls_are_valid_but_not_strict(text):
    parsed = parse(text)
    assert parsed.kind is OutputKind.VALID_CALLS
    assert parsed.json_valid and not parsed.strict_format
    assert parsed.calls == [{"name": "list_tasks", "arguments": {"filter": "all"}}]
    assert parsed.message["tool_calls"][0]["function"]["arguments"] == '{"filter": "all"}'


def test_fenced_call_with_prose_is_extra_prose():
    parsed = parse('Here you go:\n```json\n{"name": "list_tasks", "arguments": {"filter": "all"}}\n```')
    assert parsed.kind is OutputKind.EXTRA_PROSE
    assert parsed.message["content"] == "Here you go:"


def test_json_that_is_not_a_call_is_prose():
    parsed = parse('Your task looks like {"title": "Buy milk"} now.')
    assert parsed.kind is OutputKind.NO_CALL


@pytest.mark.parametrize("marker", ["<|im_end|>", "<|endoftext|>", "<|im_end|>\n<|endoftext|>\n"])
def test_end_of_turn_marker_is_stripped(marker):
    parsed = parse(block("list_tasks", {"filter": "due_today"}) + marker)
    assert parsed.kind is OutputKind.VALID_CALLS and parsed.strict_format
    prose = parse("All done." + marker)
    assert prose.message["content"] == "All done."


def test_raw_is_kept_verbatim():
    text = "  hello <|im_end|>"
    assert parse(text).raw == text


def test_every_tool_call_has_id_type_and_string_arguments():
    text = "\n".join(block("add_comment", {"task_id": f"task_{i}", "text": "ok"}) for i in range(4))
    parsed = parse_model_output(text, TOOLS, id_prefix="chatcmpl-")
    for i, tool_call in enumerate(parsed.message["tool_calls"]):
        assert tool_call["id"] == f"chatcmpl-{i}"
        assert tool_call["type"] == "function"
        assert isinstance(tool_call["function"]["arguments"], str)
        json.loads(tool_call["function"]["arguments"])


def test_unicode_arguments_are_not_escaped():
    parsed = parse(block("create_task", {"title": "Café – 予算レビュー"}))
    assert parsed.message["tool_calls"][0]["function"]["arguments"] == '{"title": "Café – 予算レビュー"}'


# ---------------------------------------------------------------- converters


def tool_call(i, name, arguments):
    return {"id": f"call_{i}", "type": "function", "function": {"name": name, "arguments": arguments_to_string(arguments)}}


MESSAGES = {
    "single": {"role": "assistant", "content": None, "tool_calls": [tool_call(0, "create_task", {"title": "Review Q4 budget"})]},
    "parallel": {
        "role": "assistant",
        "content": None,
        "tool_calls": [
            tool_call(0, "search_tasks", {"query": "budget"}),
            tool_call(1, "list_tasks", {"filter": "overdue", "tag": "work"}),
        ],
    },
    "unicode": {"role": "assistant", "content": None, "tool_calls": [tool_call(0, "create_task", {"title": "Café – 予算 🚀"})]},
    "nested_arrays": {
        "role": "assistant",
        "content": None,
        "tool_calls": [tool_call(0, "create_task", {"title": "x", "tags": ["a", "b"], "meta": {"ids": [[1, 2], []]}})],
    },
    "text_and_calls": {
        "role": "assistant",
        "content": "I'll look that up first.",
        "tool_calls": [tool_call(0, "search_tasks", {"query": "dentist"})],
    },
    "text_only": {"role": "assistant", "content": "Which task do you mean?"},
}


def test_call_json_is_the_canonical_rendering():
    assert call_json("create_task", {"title": "é"}) == '{"name": "create_task", "arguments": {"title": "é"}}'


def test_openai_to_hermes_renders_content_then_blocks():
    text = openai_to_hermes(MESSAGES["text_and_calls"])
    assert text == (
        "I'll look that up first.\n"
        '<tool_call>\n{"name": "search_tasks", "arguments": {"query": "dentist"}}\n</tool_call>'
    )


@pytest.mark.parametrize("name", MESSAGES)
def test_openai_hermes_round_trip(name):
    message = MESSAGES[name]
    assert hermes_to_openai(openai_to_hermes(message)) == message


@pytest.mark.parametrize("name", MESSAGES)
def test_openai_anthropic_round_trip(name):
    message = MESSAGES[name]
    original = copy.deepcopy(message)
    assert anthropic_to_openai(openai_to_anthropic(message)) == original
    assert message == original


def test_openai_to_anthropic_blocks():
    assert openai_to_anthropic(MESSAGES["text_and_calls"]) == {
        "role": "assistant",
        "content": [
            {"type": "text", "text": "I'll look that up first."},
            {"type": "tool_use", "id": "call_0", "name": "search_tasks", "input": {"query": "dentist"}},
        ],
    }


ANTHROPIC_MESSAGES = [
    {"role": "assistant", "content": [{"type": "tool_use", "id": "toolu_01A", "name": "list_tasks", "input": {"filter": "all"}}]},
    {
        "role": "assistant",
        "content": [
            {"type": "text", "text": "Creating both."},
            {"type": "tool_use", "id": "toolu_01", "name": "create_task", "input": {"title": "ünï", "tags": ["x"]}},
            {"type": "tool_use", "id": "toolu_02", "name": "create_task", "input": {"title": "b"}},
        ],
    },
    {"role": "assistant", "content": [{"type": "text", "text": "Done."}]},
]


@pytest.mark.parametrize("message", ANTHROPIC_MESSAGES)
def test_anthropic_openai_round_trip(message):
    assert openai_to_anthropic(anthropic_to_openai(message)) == message


CONVERSATION = [
    {"role": "system", "content": "You manage tasks."},
    {"role": "user", "content": "What's overdue, and what's due today?"},
    MESSAGES["parallel"] | {"tool_calls": [tool_call(0, "list_tasks", {"filter": "overdue"}), tool_call(1, "list_tasks", {"filter": "due_today"})]},
    {"role": "tool", "tool_call_id": "call_0", "content": '[{"id": "task_1", "title": "Pay rent"}]'},
    {"role": "tool", "tool_call_id": "call_1", "content": "[]"},
    {"role": "assistant", "content": "One task is overdue: Pay rent."},
    {"role": "user", "content": "Delete it."},
    MESSAGES["text_and_calls"],
    {"role": "tool", "tool_call_id": "call_0", "content": '{"ok": true}'},
]


def test_conversation_to_anthropic_merges_consecutive_tool_results():
    system, messages = openai_messages_to_anthropic(CONVERSATION)
    assert system == "You manage tasks."
    assert [m["role"] for m in messages] == ["user", "assistant", "user", "assistant", "user", "assistant", "user"]
    assert messages[2] == {
        "role": "user",
        "content": [
            {"type": "tool_result", "tool_use_id": "call_0", "content": '[{"id": "task_1", "title": "Pay rent"}]'},
            {"type": "tool_result", "tool_use_id": "call_1", "content": "[]"},
        ],
    }


def test_conversation_round_trips():
    system, messages = openai_messages_to_anthropic(CONVERSATION)
    assert anthropic_messages_to_openai(system, messages) == CONVERSATION
    assert openai_messages_to_anthropic(anthropic_messages_to_openai(system, messages)) == (system, messages)


def test_anthropic_tool_result_blocks_become_tool_text():
    messages = [{"role": "user", "content": [{"type": "tool_result", "tool_use_id": "t1", "content": [{"type": "text", "text": "ok"}]}]}]
    assert anthropic_messages_to_openai(None, messages) == [{"role": "tool", "tool_call_id": "t1", "content": "ok"}]


def test_arguments_helpers():
    assert arguments_to_object('{"a": [1]}') == {"a": [1]}
    assert arguments_to_object({"a": 1}) == {"a": 1}
    assert arguments_to_string({"t": "é"}) == '{"t": "é"}'
    assert arguments_to_string('{"a":1}') == '{"a":1}'
    with pytest.raises(ValueError):
        arguments_to_object("[1, 2]")
