"""Copy a built split with the tool schemas described more fully, every other byte of it as it was.

The committed schemas (``data/tools.json``) describe most arguments in a few words and none of the values of an
``enum``: a model sees ``"filter": {"enum": ["all", "due_today", "due_this_week", "overdue", "completed"]}`` and
has to learn from the examples alone which request means which. This copy says what each value selects, in the
executor's own terms (``executor.TaskStore``: which tasks a filter lists, which a scope deletes), and asks
``create_task`` and ``update_task`` for the fields the user gave and no others. The words come from the schemas'
meaning, not from any split's wordings. Every example of a split carries the same tools, so the copy of each
split still shares one tool-schema prefix.

``python -m agentic_tuning.data.described_tools --data data/train.jsonl --out runs/x.jsonl``. The copies of the
splits a model is scored on are committed under ``data/described_tools/`` (``--data data/dev.jsonl --out
data/described_tools/dev.jsonl``, and so for dev_wide and test), so that the results scored on them can be read
again from a clone; the train split's copy, which only a training run reads, is not.
"""

from __future__ import annotations

import json

from ..paths import DATA_DIR
from .split_copy import copy_split_main

DESCRIBED_TOOLS_DIR = DATA_DIR / "described_tools"

PRIORITY = "How urgent the task is: 'low', 'medium' or 'high'. Only when the user says how urgent it is."

TOOL_DESCRIPTIONS = {
    "create_task": "Create a new task. Give only the fields the user states: leave out a due date, priority, "
                   "description or tags the user did not mention.",
    "update_task": "Change fields of an existing task. Give its id and only the fields the user wants changed.",
}
"""Tool -> its description in the copy (the other tools keep theirs)."""

ARGUMENT_DESCRIPTIONS = {
    ("create_task", "priority"): PRIORITY,
    ("create_task", "description"): "Longer notes the user gives besides the title.",
    ("create_task", "tags"): "Labels the user names for the task.",
    ("list_tasks", "filter"): "Which tasks: 'all' every task not done, 'due_today' the ones due today, "
                              "'due_this_week' the ones due from today to Sunday, 'overdue' the ones due before "
                              "today and not done, 'completed' the done ones.",
    ("update_task", "title"): "The task's new title.",
    ("update_task", "priority"): PRIORITY,
    ("update_task", "status"): "Where the task stands: 'todo' not started or to be done again, 'in_progress' "
                               "being worked on, 'done' finished.",
    ("delete_all_tasks", "scope"): "Which tasks: 'completed' only the done ones, 'all' every task whatever "
                                   "its status.",
}
"""(tool, argument) -> its description in the copy (the other arguments keep theirs)."""


def described_tools(tools: list[dict]) -> list[dict]:
    """A copy of ``tools`` with ``TOOL_DESCRIPTIONS`` and ``ARGUMENT_DESCRIPTIONS`` in place of the descriptions
    they name."""
    tools = json.loads(json.dumps(tools))
    for tool in tools:
        function = tool["function"]
        function["description"] = TOOL_DESCRIPTIONS.get(function["name"], function["description"])
        for argument, schema in function["parameters"]["properties"].items():
            if (function["name"], argument) in ARGUMENT_DESCRIPTIONS:
                schema["description"] = ARGUMENT_DESCRIPTIONS[function["name"], argument]
    return tools


def with_described_tools(examples: list[dict]) -> tuple[list[dict], int]:
    """A copy of ``examples`` whose tools are ``described_tools`` of their own, and how many carried tools."""
    copies = [{**example, "tools": described_tools(example["tools"])} if example.get("tools") else example
              for example in examples]
    return copies, sum(bool(example.get("tools")) for example in examples)


def main(argv=None) -> None:
    copy_split_main(argv, __doc__, lambda examples, args: with_described_tools(examples),
                    "examples given the described tools")


if __name__ == "__main__":
    main()
