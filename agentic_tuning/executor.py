"""A real executor for the task-manager tools, backed by an embedded SQLite store."""

import datetime
import json
import re
import sqlite3
import threading

from agentic_tuning import tools as tool_contract
from agentic_tuning.dates import DATE_ARGUMENT_RESOLVERS

_SCHEMA = """
CREATE TABLE IF NOT EXISTS tasks (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    title TEXT NOT NULL,
    description TEXT,
    due_date TEXT,
    priority TEXT NOT NULL DEFAULT 'medium',
    status TEXT NOT NULL DEFAULT 'todo',
    tags TEXT NOT NULL DEFAULT '[]',
    created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS subtasks (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    task_id INTEGER NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
    title TEXT NOT NULL,
    done INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS comments (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    task_id INTEGER NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
    text TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS reminders (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    task_id INTEGER NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
    remind_at TEXT NOT NULL
);
"""
_TABLES = ("tasks", "subtasks", "comments", "reminders")
_TASK_FIELDS = ("title", "description", "due_date", "priority", "status", "tags")


_MAX_ROWID = 2**63 - 1


def _task_key(task_id: str) -> int:
    """'task_12' -> 12; ids too large for SQLite map to -1, which never exists."""
    key = int(task_id.removeprefix("task_"))
    return key if key <= _MAX_ROWID else -1


def _words(text: str) -> set[str]:
    return set(re.findall(r"\w+", text.casefold()))


class NotFound(LookupError):
    """A task id that does not exist in the store."""


class TaskStore:
    """Tasks, subtasks, comments and reminders in SQLite (in memory or in a file)."""

    def __init__(self, path=":memory:", today: datetime.date | None = None, first_task_id: int = 1):
        self.today = today or datetime.date.today()
        # Agent frameworks (LangGraph's ToolNode, the Agents SDK) run tools in worker threads, and
        # parallel calls at the same time: the connection is shared across threads, and `lock`
        # lets one tool call at a time use it (TaskExecutor.execute holds it).
        self._conn = sqlite3.connect(str(path), check_same_thread=False)
        self.lock = threading.Lock()
        self._conn.row_factory = sqlite3.Row
        self._conn.execute("PRAGMA foreign_keys = ON")
        self._conn.executescript(_SCHEMA)
        if first_task_id > 1 and not self.all_tasks():
            with self._conn:
                self._conn.execute("DELETE FROM sqlite_sequence WHERE name = 'tasks'")
                self._conn.execute(
                    "INSERT INTO sqlite_sequence (name, seq) VALUES ('tasks', ?)", (first_task_id - 1,)
                )

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def close(self) -> None:
        self._conn.close()

    @staticmethod
    def _task(row: sqlite3.Row) -> dict:
        task = dict(row)
        task["id"] = f"task_{row['id']}"
        task["tags"] = json.loads(row["tags"])
        return task

    def _require(self, task_id: str) -> int:
        key = _task_key(task_id)
        if self._conn.execute("SELECT 1 FROM tasks WHERE id = ?", (key,)).fetchone() is None:
            raise NotFound(f"no task with id {task_id!r}")
        return key

    def add_task(self, title: str, description=None, due_date=None, priority="medium",
                 status="todo", tags=()) -> dict:
        """Insert a task and return it."""
        created_at = datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")
        with self._conn:
            cursor = self._conn.execute(
                "INSERT INTO tasks (title, description, due_date, priority, status, tags, created_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                (title, description, due_date, priority, status, json.dumps(list(tags)), created_at),
            )
        return self.get_task(f"task_{cursor.lastrowid}")

    def get_task(self, task_id: str) -> dict | None:
        row = self._conn.execute("SELECT * FROM tasks WHERE id = ?", (_task_key(task_id),)).fetchone()
        return self._task(row) if row else None

    def all_tasks(self) -> list[dict]:
        return [self._task(r) for r in self._conn.execute("SELECT * FROM tasks ORDER BY id")]

    def update_task(self, task_id: str, **fields) -> dict:
        """Change the given fields of an existing task and return it."""
        unknown = set(fields) - set(_TASK_FIELDS)
        if unknown:
            raise TypeError(f"unknown task fields: {sorted(unknown)}")
        key = self._require(task_id)
        if "tags" in fields:
            fields["tags"] = json.dumps(list(fields["tags"]))
        if fields:
            assignments = ", ".join(f"{name} = ?" for name in fields)
            with self._conn:
                self._conn.execute(f"UPDATE tasks SET {assignments} WHERE id = ?", (*fields.values(), key))
        return self.get_task(task_id)

    def delete_task(self, task_id: str) -> None:
        key = self._require(task_id)
        with self._conn:
            self._conn.execute("DELETE FROM tasks WHERE id = ?", (key,))

    def delete_tasks(self, scope: str) -> int:
        """Delete completed tasks (scope 'completed') or every task ('all'); return the count."""
        where = " WHERE status = 'done'" if scope == "completed" else ""
        with self._conn:
            return self._conn.execute("DELETE FROM tasks" + where).rowcount

    def _add_child(self, table: str, prefix: str, task_id: str, **values) -> dict:
        key = self._require(task_id)
        columns = ", ".join(("task_id", *values))
        marks = ", ".join("?" * (len(values) + 1))
        with self._conn:
            cursor = self._conn.execute(
                f"INSERT INTO {table} ({columns}) VALUES ({marks})", (key, *values.values())
            )
        return {"id": f"{prefix}_{cursor.lastrowid}", "task_id": task_id, **values}

    def add_subtask(self, task_id: str, title: str) -> dict:
        return {**self._add_child("subtasks", "subtask", task_id, title=title), "done": False}

    def add_comment(self, task_id: str, text: str) -> dict:
        return self._add_child("comments", "comment", task_id, text=text)

    def add_reminder(self, task_id: str, remind_at: str) -> dict:
        return self._add_child("reminders", "reminder", task_id, remind_at=remind_at)

    def snapshot(self) -> dict:
        """Plain-data dump of every table, for comparing store states."""
        return {
            table: [dict(r) for r in self._conn.execute(f"SELECT * FROM {table} ORDER BY id")]
            for table in _TABLES
        }


def _ok(result) -> dict:
    return {"ok": True, "result": result}


def _error(kind: str, message: str, details=()) -> dict:
    return {"ok": False, "error": {"type": kind, "message": message, "details": list(details)}}


def _resolve_dates(name: str, arguments: dict, tools: list[dict], today: datetime.date) -> tuple[dict, list[str]]:
    """The arguments with every date phrase (schema ``format`` "date-phrase"/"datetime-phrase")
    resolved to YYYY-MM-DD / YYYY-MM-DDTHH:MM as of ``today``, and the phrases that did not resolve."""
    properties = tool_contract.tools_by_name(tools)[name]["function"]["parameters"].get("properties", {})
    resolved, problems = dict(arguments), []
    for key, value in arguments.items():
        resolver = DATE_ARGUMENT_RESOLVERS.get(properties.get(key, {}).get("format"))
        if resolver is None:
            continue
        try:
            resolved[key] = resolver(value, today)
        except ValueError as exc:
            problems.append(f"argument {key!r}: {value!r} is not a date the app understands ({exc})")
    return resolved, problems


class TaskExecutor:
    """Validate and run tool calls against a TaskStore; always returns a result object."""

    def __init__(self, store: TaskStore, tools=None):
        self.store = store
        self.tools = tool_contract.load_tools() if tools is None else tools
        self._handlers = {
            "create_task": self.store.add_task,
            "list_tasks": self._list_tasks,
            "search_tasks": self._search_tasks,
            "update_task": self.store.update_task,
            "delete_task": self._delete_task,
            "delete_all_tasks": self._delete_all_tasks,
            "add_subtask": self.store.add_subtask,
            "add_comment": self.store.add_comment,
            "set_reminder": self.store.add_reminder,
        }
        self._names = set(tool_contract.tools_by_name(self.tools)) & set(self._handlers)

    @staticmethod
    def destructive(name: str) -> bool:
        return tool_contract.is_destructive(name)

    def execute(self, name: str, arguments) -> dict:
        """Run one tool call; `arguments` is a dict or a JSON string."""
        if name not in self._names:
            available = f"available tools: {', '.join(sorted(self._names))}"
            return _error("unknown_tool", f"unknown tool {name!r}", [available])
        if isinstance(arguments, str):
            try:
                arguments = json.loads(arguments)
            except (ValueError, RecursionError) as exc:
                return _error("invalid_json", f"arguments for {name} are not valid JSON", [str(exc)])
        problems = tool_contract.validate_arguments(name, arguments, self.tools)
        if not problems:
            arguments, problems = _resolve_dates(name, arguments, self.tools, self.store.today)
        if problems:
            return _error("invalid_arguments", f"invalid arguments for {name}: {'; '.join(problems)}", problems)
        try:
            with self.store.lock:
                return _ok(self._handlers[name](**arguments))
        except NotFound as exc:
            return _error("not_found", str(exc), [])

    def _list_tasks(self, filter: str, tag: str | None = None) -> list[dict]:
        """Every filter except 'completed' skips done tasks; `tag` matches case-insensitively."""
        today = self.store.today.isoformat()
        sunday = (self.store.today + datetime.timedelta(days=6 - self.store.today.weekday())).isoformat()
        tests = {
            "all": lambda t: True,
            "due_today": lambda t: t["due_date"] == today,
            "due_this_week": lambda t: t["due_date"] is not None and today <= t["due_date"] <= sunday,
            "overdue": lambda t: t["due_date"] is not None and t["due_date"] < today,
        }
        tasks = self.store.all_tasks()
        if filter == "completed":
            tasks = [t for t in tasks if t["status"] == "done"]
        else:
            tasks = [t for t in tasks if t["status"] != "done" and tests[filter](t)]
        if tag is not None:
            tasks = [t for t in tasks if tag.casefold() in (x.casefold() for x in t["tags"])]
        return tasks

    def _search_tasks(self, query: str) -> list[dict]:
        wanted = _words(query)
        if not wanted:
            return []
        return [
            t for t in self.store.all_tasks()
            if wanted <= _words(" ".join([t["title"], t["description"] or "", *t["tags"]]))
        ]

    def _delete_task(self, task_id: str) -> dict:
        self.store.delete_task(task_id)
        return {"deleted": 1, "id": task_id}

    def _delete_all_tasks(self, scope: str) -> dict:
        return {"deleted": self.store.delete_tasks(scope)}
