"""Tests for the tool contract in agentic_tuning.tools."""

import json

import pytest

from agentic_tuning import tools
from agentic_tuning.paths import TOOLS_PATH

EXPECTED_NAMES = (
    "create_task", "list_tasks", "search_tasks", "update_task", "delete_task",
    "delete_all_tasks", "add_subtask", "add_comment", "set_reminder",
)

VALID_CALLS = {
    "create_task": {"title": "Write report", "due_date": "2025-06-13", "priority": "high",
                    "description": "Q2 numbers", "tags": ["work"]},
    "list_tasks": {"filter": "due_this_week", "tag": "work"},
    "search_tasks": {"query": "report"},
    "update_task": {"task_id": "task_1", "status": "done"},
    "delete_task": {"task_id": "task_1"},
    "delete_all_tasks": {"scope": "completed"},
    "add_subtask": {"task_id": "task_1", "title": "Draft"},
    "add_comment": {"task_id": "task_1", "text": "Looks good"},
    "set_reminder": {"task_id": "task_1", "remind_at": "2025-06-12T09:00"},
}


def test_tool_names_follow_file_order():
    with open(TOOLS_PATH, encoding="utf-8") as f:
        on_disk = [t["function"]["name"] for t in json.load(f)]
    assert tools.TOOL_NAMES == EXPECTED_NAMES == tuple(on_disk)


def test_load_tools_returns_independent_copies():
    first = tools.load_tools()
    first[0]["function"]["name"] = "mutated"
    first.pop()
    second = tools.load_tools()
    assert len(second) == 9
    assert second[0]["function"]["name"] == "create_task"


def test_destructive_tools():
    assert tools.DESTRUCTIVE_TOOLS == {"delete_task", "delete_all_tasks"}
    assert tools.is_destructive("delete_all_tasks")
    assert not tools.is_destructive("update_task")
    assert not tools.is_destructive("nope")


def test_tools_by_name_and_schema():
    by_name = tools.tools_by_name()
    assert list(by_name) == list(EXPECTED_NAMES)
    schema = tools.tool_schema("add_comment")
    assert schema["required"] == ["task_id", "text"]
    assert schema["additionalProperties"] is False


def test_tool_schema_unknown_raises_key_error():
    with pytest.raises(KeyError, match="frobnicate"):
        tools.tool_schema("frobnicate")


def test_custom_tool_list_is_used():
    custom = [{"type": "function", "function": {"name": "ping", "parameters": {
        "type": "object", "properties": {"n": {"type": "integer"}},
        "required": ["n"], "additionalProperties": False}}}]
    assert tools.validate_arguments("ping", {"n": 1}, custom) == []
    assert tools.validate_arguments("ping", {"n": "1"}, custom) == ["argument 'n': '1' is not of type 'integer'"]
    assert tools.validate_arguments("create_task", {"title": "x"}, custom) == ["unknown tool 'create_task'"]


@pytest.mark.parametrize("name", EXPECTED_NAMES)
def test_valid_calls_have_no_errors(name):
    assert tools.validate_arguments(name, VALID_CALLS[name]) == []
    assert tools.schema_error_kinds(name, VALID_CALLS[name]) == []


@pytest.mark.parametrize("name, arguments, message, kind", [
    ("create_task", {}, "missing required argument 'title'", "missing_required"),
    ("create_task", {"title": 5}, "argument 'title': 5 is not of type 'string'", "wrong_type"),
    ("create_task", {"title": "t", "tags": "x"}, "argument 'tags': 'x' is not of type 'array'", "wrong_type"),
    ("create_task", {"title": "t", "tags": ["a", 3]}, "argument 'tags[1]': 3 is not of type 'string'", "wrong_type"),
    ("create_task", {"title": "t", "priority": "urgent"},
     "argument 'priority': 'urgent' is not one of ['low', 'medium', 'high']", "bad_enum"),
    ("delete_task", {"task_id": "42"}, r"argument 'task_id': '42' does not match pattern ^task_\d+$", "bad_pattern"),
    ("set_reminder", {"task_id": "task_1", "remind_at": 9},
     "argument 'remind_at': 9 is not of type 'string'", "wrong_type"),
    ("list_tasks", {"filter": "all", "foo": 1}, "unexpected argument 'foo'", "extra_key"),
    ("frobnicate", {}, "unknown tool 'frobnicate'", "unknown_tool"),
    ("list_tasks", '{"filter": "all"}', "arguments must be a JSON object, got str", "not_an_object"),
    ("list_tasks", None, "arguments must be a JSON object, got NoneType", "not_an_object"),
    ("list_tasks", ["all"], "arguments must be a JSON object, got list", "not_an_object"),
])
def test_single_error(name, arguments, message, kind):
    assert tools.validate_arguments(name, arguments) == [message]
    assert tools.schema_error_kinds(name, arguments) == [kind]


def test_multiple_errors_are_sorted_and_kinds_align():
    arguments = {"priority": "urgent", "foo": 1, "bar": 2, "due_date": 5}
    messages = tools.validate_arguments("create_task", arguments)
    assert messages == sorted(messages)
    assert messages == [
        "argument 'due_date': 5 is not of type 'string'",
        "argument 'priority': 'urgent' is not one of ['low', 'medium', 'high']",
        "missing required argument 'title'",
        "unexpected argument 'bar'",
        "unexpected argument 'foo'",
    ]
    assert tools.schema_error_kinds("create_task", arguments) == [
        "wrong_type", "bad_enum", "missing_required", "extra_key", "extra_key",
    ]


def test_every_missing_required_argument_is_reported():
    assert tools.validate_arguments("add_comment", {}) == [
        "missing required argument 'task_id'",
        "missing required argument 'text'",
    ]


def test_format_checking_is_off():
    # "2025-13-45" is a string; whether a date phrase resolves is the executor's job.
    assert tools.validate_arguments("create_task", {"title": "t", "due_date": "2025-13-45"}) == []
