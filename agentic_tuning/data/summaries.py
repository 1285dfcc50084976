"""Short final answers written from a tool result, as the reference for "final_answer" turns."""

from __future__ import annotations

LIST_WORDS = {
    "all": "open",
    "due_today": "due today",
    "due_this_week": "due this week",
    "overdue": "overdue",
    "completed": "completed",
}


def _task_list(tasks: list[dict]) -> str:
    return ", ".join(f"{t['title']} ({t['id']}, due {t['due_date'] or 'no date'})" for t in tasks)


def summarize_result(name: str, arguments: dict, result: dict) -> str:
    """One or two sentences telling the user what the tool call did."""
    if not result.get("ok"):
        error = result["error"]
        if error["type"] == "not_found":
            return f"I couldn't find {arguments.get('task_id', 'that task')}. Could you check the task id?"
        return f"That didn't work: {error['message']}."
    value = result["result"]
    if name == "create_task":
        extras = [f"due {value['due_date']}" if value.get("due_date") else "", f"{value['priority']} priority"]
        return f"Created \"{value['title']}\" ({value['id']}), " + ", ".join(e for e in extras if e) + "."
    if name == "search_tasks":
        if not value:
            return f"No tasks match \"{arguments['query']}\"."
        noun = "task" if len(value) == 1 else "tasks"
        return f"Found {len(value)} {noun} matching \"{arguments['query']}\": {_task_list(value)}."
    if name == "list_tasks":
        kind = LIST_WORDS[arguments["filter"]] + (f" {arguments['tag']}" if arguments.get("tag") else "")
        if not value:
            return f"You have no {kind} tasks."
        noun = "task" if len(value) == 1 else "tasks"
        return f"You have {len(value)} {kind} {noun}: {_task_list(value)}."
    if name == "update_task":
        changes = ", ".join(f"{k.replace('_', ' ')} is now {value[k]}" for k in arguments if k != "task_id")
        return f"Updated {arguments['task_id']}: {changes}."
    if name == "delete_task":
        return f"Deleted {arguments['task_id']}."
    if name == "delete_all_tasks":
        scope = "completed " if arguments["scope"] == "completed" else ""
        return f"Deleted {value['deleted']} {scope}tasks."
    if name == "add_subtask":
        return f"Added the subtask \"{arguments['title']}\" to {arguments['task_id']}."
    if name == "add_comment":
        return f"Added your comment to {arguments['task_id']}."
    if name == "set_reminder":
        return f"I'll remind you about {arguments['task_id']} on {value['remind_at'].replace('T', ' at ')}."
    raise ValueError(f"no summary for tool {name!r}")
