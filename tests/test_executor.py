"""Tests for the SQLite-backed executor in agentic_tuning.executor."""

import datetime
import json

import pytest

from agentic_tuning.executor import TaskExecutor, TaskStore

TODAY = datetime.date(2025, 6, 11)  # a Wednesday; the coming Sunday is 2025-06-15


@pytest.fixture
def store():
    with TaskStore(today=TODAY) as s:
        yield s


@pytest.fixture
def executor(store):
    return TaskExecutor(store)


@pytest.fixture
def seeded(store):
    """A store holding tasks that exercise every list filter."""
    store.add_task("Pay rent", due_date="2025-06-01", tags=["home"])                     # task_1 overdue
    store.add_task("Standup notes", due_date="2025-06-11", tags=["work"])                # task_2 today
    store.add_task("Write quarterly report", description="Q2 numbers for finance",
                   due_date="2025-06-15", tags=["work", "Finance"])                      # task_3 this week
    store.add_task("Plan holiday", due_date="2025-06-16")                                # task_4 next week
    store.add_task("File taxes", due_date="2025-06-02", status="done", tags=["home"])     # task_5 done
    store.add_task("Read book")                                                          # task_6 no date
    return store


def ids(result):
    return [t["id"] for t in result]


def ok(response):
    assert response["ok"] is True, response
    json.dumps(response)  # everything must be sendable back as tool content
    return response["result"]


def error(response, kind):
    assert response["ok"] is False, response
    assert response["error"]["type"] == kind
    assert isinstance(response["error"]["message"], str) and response["error"]["message"]
    json.dumps(response)
    return response["error"]


# --- happy paths ---------------------------------------------------------------

def test_create_task_returns_task_with_id(executor, store):
    task = ok(executor.execute("create_task", {
        "title": "Write report", "due_date": "2025-06-13", "priority": "high",
        "description": "Q2", "tags": ["work"]}))
    assert task["id"] == "task_1"
    assert (task["title"], task["due_date"], task["priority"], task["status"], task["tags"]) == (
        "Write report", "2025-06-13", "high", "todo", ["work"])
    assert store.get_task("task_1") == task


def test_create_task_defaults(executor):
    task = ok(executor.execute("create_task", {"title": "Minimal"}))
    assert (task["priority"], task["status"], task["tags"], task["due_date"], task["description"]) == (
        "medium", "todo", [], None, None)


def test_arguments_may_be_a_json_string(executor):
    task = ok(executor.execute("create_task", '{"title": "From the model", "tags": ["x"]}'))
    assert task["id"] == "task_1" and task["tags"] == ["x"]


@pytest.mark.parametrize("filter_, expected", [
    ("all", ["task_1", "task_2", "task_3", "task_4", "task_6"]),
    ("due_today", ["task_2"]),
    ("due_this_week", ["task_2", "task_3"]),
    ("overdue", ["task_1"]),
    ("completed", ["task_5"]),
])
def test_list_filters(seeded, filter_, expected):
    assert ids(ok(TaskExecutor(seeded).execute("list_tasks", {"filter": filter_}))) == expected


def test_list_tag_filter(seeded):
    executor = TaskExecutor(seeded)
    assert ids(ok(executor.execute("list_tasks", {"filter": "all", "tag": "work"}))) == ["task_2", "task_3"]
    assert ids(ok(executor.execute("list_tasks", {"filter": "all", "tag": "finance"}))) == ["task_3"]
    assert ids(ok(executor.execute("list_tasks", {"filter": "completed", "tag": "home"}))) == ["task_5"]
    assert ok(executor.execute("list_tasks", {"filter": "overdue", "tag": "work"})) == []


def test_due_this_week_on_a_sunday_is_just_today():
    with TaskStore(today=datetime.date(2025, 6, 15)) as store:
        store.add_task("Sunday job", due_date="2025-06-15")
        store.add_task("Monday job", due_date="2025-06-16")
        assert ids(ok(TaskExecutor(store).execute("list_tasks", {"filter": "due_this_week"}))) == ["task_1"]


@pytest.mark.parametrize("query, expected", [
    ("report", ["task_3"]),
    ("REPORT finance", ["task_3"]),          # title word + tag, case-insensitive
    ("q2 quarterly", ["task_3"]),            # description word + title word
    ("home", ["task_1", "task_5"]),          # tags, completed tasks included
    ("report home", []),                     # every word must match
    ("rep", []),                             # whole words only
    ("   ", []),
])
def test_search_tasks(seeded, query, expected):
    result = ok(TaskExecutor(seeded).execute("search_tasks", {"query": query}))
    assert ids(result) == expected


def test_update_task_changes_only_given_fields(seeded):
    before = seeded.get_task("task_3")
    task = ok(TaskExecutor(seeded).execute("update_task", {"task_id": "task_3", "status": "done", "priority": "high"}))
    assert task == {**before, "status": "done", "priority": "high"}
    assert seeded.get_task("task_3") == task


def test_update_task_without_fields_is_a_no_op(seeded):
    before = seeded.snapshot()
    assert ok(TaskExecutor(seeded).execute("update_task", {"task_id": "task_2"})) == seeded.get_task("task_2")
    assert seeded.snapshot() == before


def test_delete_task(seeded):
    executor = TaskExecutor(seeded)
    assert ok(executor.execute("delete_task", {"task_id": "task_2"})) == {"deleted": 1, "id": "task_2"}
    assert seeded.get_task("task_2") is None
    assert ids(seeded.all_tasks()) == ["task_1", "task_3", "task_4", "task_5", "task_6"]


def test_delete_all_completed(seeded):
    assert ok(TaskExecutor(seeded).execute("delete_all_tasks", {"scope": "completed"})) == {"deleted": 1}
    assert ids(seeded.all_tasks()) == ["task_1", "task_2", "task_3", "task_4", "task_6"]


def test_delete_all_removes_everything_including_children(seeded):
    executor = TaskExecutor(seeded)
    ok(executor.execute("add_subtask", {"task_id": "task_1", "title": "Transfer"}))
    ok(executor.execute("add_comment", {"task_id": "task_1", "text": "Due on the 1st"}))
    ok(executor.execute("set_reminder", {"task_id": "task_1", "remind_at": "2025-06-01T09:00"}))
    assert ok(executor.execute("delete_all_tasks", {"scope": "all"})) == {"deleted": 6}
    assert seeded.snapshot() == {"tasks": [], "subtasks": [], "comments": [], "reminders": []}
    assert ok(executor.execute("create_task", {"title": "After wipe"}))["id"] == "task_7"  # ids never reused


def test_add_subtask_comment_reminder(seeded):
    executor = TaskExecutor(seeded)
    assert ok(executor.execute("add_subtask", {"task_id": "task_3", "title": "Collect numbers"})) == {
        "id": "subtask_1", "task_id": "task_3", "title": "Collect numbers", "done": False}
    assert ok(executor.execute("add_comment", {"task_id": "task_3", "text": "Ask Sam"})) == {
        "id": "comment_1", "task_id": "task_3", "text": "Ask Sam"}
    assert ok(executor.execute("set_reminder", {"task_id": "task_3", "remind_at": "2025-06-14T09:00"})) == {
        "id": "reminder_1", "task_id": "task_3", "remind_at": "2025-06-14T09:00"}
    snapshot = seeded.snapshot()
    assert snapshot["subtasks"] == [{"id": 1, "task_id": 3, "title": "Collect numbers", "done": 0}]
    assert snapshot["comments"] == [{"id": 1, "task_id": 3, "text": "Ask Sam"}]
    assert snapshot["reminders"] == [{"id": 1, "task_id": 3, "remind_at": "2025-06-14T09:00"}]


def test_destructive_flag():
    assert TaskExecutor.destructive("delete_task") and TaskExecutor.destructive("delete_all_tasks")
    assert not TaskExecutor.destructive("create_task")


# --- errors --------------------------------------------------------------------

@pytest.mark.parametrize("name, arguments, detail", [
    ("create_task", {}, "missing required argument 'title'"),
    ("create_task", {"title": 7}, "argument 'title': 7 is not of type 'string'"),
    ("create_task", {"title": "t", "priority": "urgent"},
     "argument 'priority': 'urgent' is not one of ['low', 'medium', 'high']"),
    ("create_task", {"title": "t", "due_date": "someday"},
     "argument 'due_date': 'someday' is not a date the app understands (unsupported date phrase: 'someday')"),
    ("delete_task", {"task_id": "42"}, r"argument 'task_id': '42' does not match pattern ^task_\d+$"),
    ("list_tasks", {"filter": "all", "foo": 1}, "unexpected argument 'foo'"),
    ("list_tasks", ["all"], "arguments must be a JSON object, got list"),
    ("list_tasks", "[1, 2]", "arguments must be a JSON object, got list"),
    ("create_task", {"title": "t", "due_date": "2025-02-30"},
     "argument 'due_date': '2025-02-30' is not a date the app understands (day is out of range for month)"),
    ("set_reminder", {"task_id": "task_1", "remind_at": "2025-06-12T25:00"},
     "argument 'remind_at': '2025-06-12T25:00' is not a date the app understands (hour must be in 0..23)"),
])
def test_invalid_arguments_leave_store_unchanged(seeded, name, arguments, detail):
    before = seeded.snapshot()
    err = error(TaskExecutor(seeded).execute(name, arguments), "invalid_arguments")
    assert err["details"] == [detail]
    assert detail in err["message"]
    assert seeded.snapshot() == before


def test_destructive_call_with_bad_arguments_deletes_nothing(seeded):
    before = seeded.snapshot()
    error(TaskExecutor(seeded).execute("delete_all_tasks", {"scope": "everything"}), "invalid_arguments")
    error(TaskExecutor(seeded).execute("delete_all_tasks", {}), "invalid_arguments")
    assert seeded.snapshot() == before


def test_unknown_tool(seeded):
    before = seeded.snapshot()
    err = error(TaskExecutor(seeded).execute("drop_database", {}), "unknown_tool")
    assert "drop_database" in err["message"]
    assert "create_task" in err["details"][0]
    assert seeded.snapshot() == before


@pytest.mark.parametrize("raw", ['{"title": "x"', "", "not json", "[" * 100_000])
def test_unparseable_json_string(executor, store, raw):
    err = error(executor.execute("create_task", raw), "invalid_json")
    assert err["details"]
    assert store.all_tasks() == []


@pytest.mark.parametrize("name, arguments", [
    ("update_task", {"task_id": "task_99", "status": "done"}),
    ("delete_task", {"task_id": "task_99"}),
    ("add_subtask", {"task_id": "task_99", "title": "x"}),
    ("add_comment", {"task_id": "task_99", "text": "x"}),
    ("set_reminder", {"task_id": "task_99", "remind_at": "2025-06-12T09:00"}),
    ("delete_task", {"task_id": "task_99999999999999999999999"}),
])
def test_not_found(seeded, name, arguments):
    before = seeded.snapshot()
    err = error(TaskExecutor(seeded).execute(name, arguments), "not_found")
    assert arguments["task_id"] in err["message"]
    assert seeded.snapshot() == before


def test_deleted_task_is_not_found_afterwards(seeded):
    executor = TaskExecutor(seeded)
    ok(executor.execute("delete_task", {"task_id": "task_1"}))
    error(executor.execute("delete_task", {"task_id": "task_1"}), "not_found")


def test_store_update_rejects_unknown_columns(seeded):
    with pytest.raises(TypeError, match="id = 1; --"):
        seeded.update_task("task_1", **{"id = 1; --": "x"})


# --- persistence ---------------------------------------------------------------

def test_file_backed_store_persists_across_instances(tmp_path):
    path = tmp_path / "tasks.sqlite"
    with TaskStore(path, today=TODAY) as store:
        executor = TaskExecutor(store)
        ok(executor.execute("create_task", {"title": "Survive restart", "tags": ["persist"]}))
        ok(executor.execute("add_comment", {"task_id": "task_1", "text": "still here"}))
        snapshot = store.snapshot()
    with TaskStore(path, today=TODAY) as reopened:
        assert reopened.snapshot() == snapshot
        assert reopened.get_task("task_1")["tags"] == ["persist"]
        assert ok(TaskExecutor(reopened).execute("create_task", {"title": "Second"}))["id"] == "task_2"


def test_store_works_from_a_worker_thread_as_agent_frameworks_call_tools():
    from concurrent.futures import ThreadPoolExecutor

    store = TaskStore()
    with ThreadPoolExecutor(max_workers=1) as pool:
        task = pool.submit(store.add_task, "Review the Q4 budget").result()
    assert store.all_tasks() == [task]


def test_tool_calls_from_parallel_threads_use_the_store_one_at_a_time(executor, store):
    import time
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=1) as pool:
        with store.lock:
            pending = pool.submit(executor.execute, "create_task", {"title": "Waits for the lock"})
            time.sleep(0.2)
            assert not pending.done()
        assert ok(pending.result(timeout=5))["title"] == "Waits for the lock"
