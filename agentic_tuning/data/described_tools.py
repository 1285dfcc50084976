"""Copy a built split with the tool schemas described more fully, every other byte of it as it was.

The committed schemas (``data/tools.json``) describe most arguments in a few words and none of the values of an
``enum``: a model sees ``"filter": {"enum": ["all", "due_today", "due_this_week", "overdue", "completed"]}`` and
has to learn from the examples alone which request means which. This copy writes parts of descriptions. Two are
written unless told, ``values`` and ``given_fields``: the first says what each value selects, in the executor's own
terms (``executor.TaskStore``: which tasks a filter lists, which a scope deletes); the second asks ``create_task``
and ``update_task`` for the fields the user gave and no others. A third, ``fields_unnamed``, words
``create_task``'s sentence of the second without naming the fields to leave out. The words come from the schemas'
meaning, not from any split's wordings. Every example of a split carries the same tools, so the copy of each split
still shares one tool-schema prefix.

``python -m agentic_tuning.data.described_tools --data data/train.jsonl --out runs/x.jsonl`` writes the two
default parts; ``--parts values`` only the first; ``--only create_task`` (a tool's own description) or ``--only
update_task.status`` (an argument's) writes only the descriptions named, so that a single sentence can be measured
alone. The copies of the splits a model is scored on are committed, so that the results scored on them can be read
again from a clone: with both default parts under ``data/described_tools/`` (``--data data/dev.jsonl --out
data/described_tools/dev.jsonl``, and so for dev_wide and test); under its folder below that, dev and dev_wide
with the values alone (``values/``), with ``create_task``'s sentence of ``given_fields`` alone (``--parts
given_fields --only create_task``, ``create_task/``) and with ``fields_unnamed`` (``fields_unnamed/``). The train
split's copies, which only a training run reads, are not.
"""

from __future__ import annotations

import json

from ..paths import DATA_DIR
from .split_copy import copy_split_main

DESCRIBED_TOOLS_DIR = DATA_DIR / "described_tools"
VALUES_ONLY_DIR = DESCRIBED_TOOLS_DIR / "values"
CREATE_TASK_ONLY_DIR = DESCRIBED_TOOLS_DIR / "create_task"
FIELDS_UNNAMED_DIR = DESCRIBED_TOOLS_DIR / "fields_unnamed"

PRIORITY_VALUES = "How urgent the task is: 'low', 'medium' or 'high'."
PRIORITY_WHEN_GIVEN = "Only when the user says how urgent it is."
CREATE_ONLY_GIVEN = "Create a new task. Give only the fields the user states"

VALUE_DESCRIPTIONS = {
    ("create_task", "priority"): PRIORITY_VALUES,
    ("list_tasks", "filter"): "Which tasks: 'all' every task not done, 'due_today' the ones due today, "
                              "'due_this_week' the ones due from today to Sunday, 'overdue' the ones due before "
                              "today and not done, 'completed' the done ones.",
    ("update_task", "priority"): PRIORITY_VALUES,
    ("update_task", "status"): "Where the task stands: 'todo' not started or to be done again, 'in_progress' "
                               "being worked on, 'done' finished.",
    ("delete_all_tasks", "scope"): "Which tasks: 'completed' only the done ones, 'all' every task whatever "
                                   "its status.",
}
"""The part that says what each ``enum`` value selects: (tool, argument) -> its description."""

GIVEN_FIELDS_DESCRIPTIONS = {
    ("create_task", None): f"{CREATE_ONLY_GIVEN}: leave out a due date, priority, description or tags the user did "
                           "not mention.",
    ("create_task", "priority"): PRIORITY_WHEN_GIVEN,
    ("create_task", "description"): "Longer notes the user gives besides the title.",
    ("create_task", "tags"): "Labels the user names for the task.",
    ("update_task", None): "Change fields of an existing task. Give its id and only the fields the user wants "
                           "changed.",
    ("update_task", "title"): "The task's new title.",
    ("update_task", "priority"): PRIORITY_WHEN_GIVEN,
}
"""The part that asks for the fields the user gave and no others: (tool, argument) -> its description, or
(tool, None) -> the tool's."""

FIELDS_UNNAMED_DESCRIPTIONS = {
    ("create_task", None): f"{CREATE_ONLY_GIVEN}.",
}
"""``create_task``'s sentence of ``GIVEN_FIELDS_DESCRIPTIONS`` without the fields it names: whether naming a due
date, priority, description and tags, to be left out, makes a model add them."""

DESCRIPTION_PARTS = {"values": VALUE_DESCRIPTIONS, "given_fields": GIVEN_FIELDS_DESCRIPTIONS,
                     "fields_unnamed": FIELDS_UNNAMED_DESCRIPTIONS}
"""Each part by name, in the order their sentences join where two describe the same thing."""

DEFAULT_PARTS = ("values", "given_fields")
"""The parts written unless told: ``fields_unnamed`` is another wording of a ``given_fields`` sentence, not more."""


def new_descriptions(parts=DEFAULT_PARTS, only=None) -> dict[tuple[str, str | None], str]:
    """(tool, argument or None) -> the description ``parts`` give it: their sentences joined, in
    ``DESCRIPTION_PARTS``' order; only the keys in ``only``, when given."""
    sentences: dict[tuple[str, str | None], list[str]] = {}
    for name, descriptions in DESCRIPTION_PARTS.items():
        if name in parts:
            for key, text in descriptions.items():
                if only is None or key in only:
                    sentences.setdefault(key, []).append(text)
    return {key: " ".join(texts) for key, texts in sentences.items()}


def described_tools(tools: list[dict], parts=DEFAULT_PARTS, only=None) -> list[dict]:
    """A copy of ``tools`` with the descriptions of ``parts`` in place of those they name (``DEFAULT_PARTS`` unless
    told), only those of the keys in ``only`` when given."""
    descriptions = new_descriptions(parts, only)
    tools = json.loads(json.dumps(tools))
    for tool in tools:
        function = tool["function"]
        function["description"] = descriptions.get((function["name"], None), function["description"])
        for argument, schema in function["parameters"]["properties"].items():
            if (function["name"], argument) in descriptions:
                schema["description"] = descriptions[function["name"], argument]
    return tools


def with_described_tools(examples: list[dict], parts=DEFAULT_PARTS, only=None) -> tuple[list[dict], int]:
    """A copy of ``examples`` whose tools are ``described_tools`` of their own, and how many carried tools."""
    copies = [{**example, "tools": described_tools(example["tools"], parts, only)} if example.get("tools")
              else example for example in examples]
    return copies, sum(bool(example.get("tools")) for example in examples)


def main(argv=None) -> None:
    copy_split_main(argv, __doc__, lambda examples, args: with_described_tools(examples, args.parts, args.only),
                    "examples given the described tools", _add_arguments)


def description_key(name: str) -> tuple[str, str | None]:
    """``"create_task"`` -> ``("create_task", None)``, the tool's own description; ``"update_task.status"`` ->
    ``("update_task", "status")``, an argument's."""
    tool, _, argument = name.partition(".")
    return tool, argument or None


def _add_arguments(parser) -> None:
    parser.add_argument("--parts", nargs="+", choices=tuple(DESCRIPTION_PARTS), default=DEFAULT_PARTS,
                        help=f"which descriptions to write (default: {' '.join(DEFAULT_PARTS)})")
    parser.add_argument("--only", nargs="+", type=description_key, default=None, metavar="TOOL[.ARGUMENT]",
                        help="write only these descriptions: a tool's own, or one argument's (default: every one "
                             "the parts name)")


if __name__ == "__main__":
    main()
