"""Redraw a skewed enum argument evenly in the single-call requests of a built split, leaving every other byte
of it as it was.

The generator draws a task's new ``status`` as done, in progress or todo 5:3:1 and ``delete_all_tasks``' scope
as completed twice as often as all, so the train split asks for ``todo`` in 3 of its 61 single status requests
and for scope ``all`` in 37 of 121 deletes of many tasks. A model tuned on it answers the rarer value's held-out
wordings with the common one: "Task_38 needs doing again" gets status ``done``, "Start over and erase all
tasks" scope ``completed``. This copy redraws the value of each single-call request of those pools evenly over
the schema's ``enum``; a request whose value changes takes a wording of the new value's pool of the same split,
with the same task, and its reference call the new value. The draws come from a random stream of their own,
keyed by the example's line, so the other examples stay as they were.

``python -m agentic_tuning.data.even_values --data data/train.jsonl --out runs/x.jsonl [--intent delete_all]``
"""

from __future__ import annotations

import json
import random

from ..tools import tool_schema
from .phrasings import wording_pool
from .reword import restate_request, single_call_pool
from .split_copy import copy_split_main

EVEN_ARGUMENTS = {"update_status": ("update_task", "status"), "delete_all": ("delete_all_tasks", "scope")}
"""Template intent -> the tool and argument whose value names the intent's pool (``update_status/todo``)."""


def even_values(examples: list[dict], split: str = "train",
                intents: tuple[str, ...] = tuple(EVEN_ARGUMENTS)) -> tuple[list[dict], int]:
    """A copy of ``examples`` whose single-call requests of the pools of ``intents`` (keys of ``EVEN_ARGUMENTS``)
    ask for a value drawn evenly from the argument's ``enum``, and how many of them changed value."""
    unknown = set(intents) - set(EVEN_ARGUMENTS)
    if unknown:
        raise ValueError(f"no even values for {sorted(unknown)}; choose from {sorted(EVEN_ARGUMENTS)}")
    copies, changed = [], 0
    for line, example in enumerate(examples):
        example = json.loads(json.dumps(example))
        pool, index = single_call_pool(example, split)
        intent, _, old_value = pool.partition("/")
        if intent in intents:
            tool, argument = EVEN_ARGUMENTS[intent]
            rng = random.Random(f"even-values-{line}")
            value = rng.choice(tool_schema(tool)["properties"][argument]["enum"])
            if value != old_value:
                wordings = wording_pool(intent, split, value)
                choice = rng.randrange(len(wordings))
                restate_request(example, wording_pool(intent, split, old_value)[index], wordings[choice],
                                f"{intent}/{value}/{split}/{choice}")
                _set_argument(example, argument, value)
                changed += 1
        copies.append(example)
    return copies, changed


def _set_argument(example: dict, argument: str, value: str) -> None:
    """Give the reference call of a single-call ``example`` ``value`` for ``argument``."""
    function = example["messages"][-1]["tool_calls"][0]["function"]
    arguments = json.loads(function["arguments"])
    arguments[argument] = value
    function["arguments"] = json.dumps(arguments)


def main(argv=None) -> None:
    def add_arguments(parser):
        parser.add_argument("--split", default="train", help="the wording pool the data was drawn from")
        parser.add_argument("--intent", action="append", choices=sorted(EVEN_ARGUMENTS),
                            help="only this intent's requests (repeatable; default: all of them)")

    def change(examples, args):
        return even_values(examples, args.split, tuple(args.intent or EVEN_ARGUMENTS))

    copy_split_main(argv, __doc__, change,
                    "single-call requests given another value", add_arguments)


if __name__ == "__main__":
    main()
