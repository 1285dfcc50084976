"""List each new task's arguments in the order the user's request names them, in a copy of a built split.

The generator writes a ``create_task`` call's arguments in one order (title, then priority, due date,
tags, description) whatever order the request says them in. This copy reorders them by where each
value first appears in the request the call answers ("New low-priority task: file the claim by Friday"
gives priority, title, due_date), leaving every request, value and other byte of the split as it was.
The order does not change what a call does, nor how the evaluator scores it; it changes what the model
learns to write after each field. Round ``train_create_request_order`` of docs/experiments.md trained on
such a copy of the train split.

``python -m agentic_tuning.data.request_order --data data/train.jsonl --out runs/x.jsonl``
"""

from __future__ import annotations

import json

from .split_copy import copy_split_main


def in_request_order(arguments: dict, request: str) -> dict:
    """``arguments`` ordered by where each value (a list by its first item) first appears in ``request``,
    ignoring case; an argument whose value the request does not contain raises ValueError."""
    text = request.lower()
    positions = {}
    for key, value in arguments.items():
        positions[key] = text.find(str(value[0] if isinstance(value, list) else value).lower())
        if positions[key] < 0:
            raise ValueError(f"the request does not say {key}={value!r}: {request!r}")
    return {key: arguments[key] for key in sorted(arguments, key=positions.get)}


def reorder_create_calls(examples: list[dict]) -> tuple[list[dict], int]:
    """A copy of ``examples`` whose ``create_task`` calls list their arguments ``in_request_order`` of the last
    user message before them, and how many calls changed order."""
    changed = 0
    copies = json.loads(json.dumps(examples))
    for example in copies:
        request = ""
        for message in example["messages"]:
            if message["role"] == "user":
                request = message["content"]
            for call in message.get("tool_calls") or []:
                if call["function"]["name"] != "create_task":
                    continue
                arguments = json.loads(call["function"]["arguments"])
                ordered = in_request_order(arguments, request)
                changed += list(ordered) != list(arguments)
                call["function"]["arguments"] = json.dumps(ordered)
    return copies, changed


def main(argv=None) -> None:
    copy_split_main(argv, __doc__, lambda examples, args: reorder_create_calls(examples), "create_task calls reordered")


if __name__ == "__main__":
    main()
