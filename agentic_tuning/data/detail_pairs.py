"""Follow some new tasks with a second one in the same words without their details, in a copy of a built split.

A model tuned on the generated train split adds fields nobody gave to a new task (the *unasked* column of
``python -m agentic_tuning.argument_accuracy``): most of the train split's new tasks carry a due date, a
priority, tags or a description, and a request that names none is rare. This copy turns each
new task with details asked in a ``create`` wording and answered by that one call (category ``single``,
or ``final_answer``, which goes on to the result and a summary) into a minimal pair in one
conversation: after the call, its tool result and the assistant's summary, the user asks for another
task in the same wording with another title and nothing after it, and the reference calls
``create_task`` with the title alone. The model sees the same words with and without the details
and the fields follow the details, nothing else. Every other example, and the start of each changed one,
stays byte for byte; the second title comes from the train titles, drawn from a random stream
keyed by the example's line. Round ``train_detail_pairs`` of docs/experiments.md trained on such a
copy of the train split.

``python -m agentic_tuning.data.detail_pairs --data data/train.jsonl --out runs/x.jsonl``
"""

from __future__ import annotations

import datetime as dt
import json
import random

from ..conversations import assistant_calls
from ..executor import TaskExecutor, TaskStore
from .phrasings import wording_pool
from .scenarios import assistant_text, capitalize, compact_tasks, tool_message, user
from .split_copy import copy_split_main
from .summaries import summarize_result
from .vocabulary import TITLES


def pair_without_details(example: dict, line: int) -> dict | None:
    """``example`` followed by the same ``create`` wording with another title and no details, or None when its
    request is not answered by one ``create_task`` call with details (alone, or with its result and a summary) or
    is not in a ``create`` wording."""
    if example["category"] not in ("single", "final_answer"):
        return None
    calls = example["messages"][2].get("tool_calls") or []
    template_id = example["templates"][0]
    intent, *_, split, index = template_id.split("/")
    if len(calls) != 1 or calls[0]["function"]["name"] != "create_task" or intent != "create":
        return None
    arguments = json.loads(calls[0]["function"]["arguments"])
    if set(arguments) == {"title"}:
        return None
    rng = random.Random(f"detail-pairs-{line}")
    title = rng.choice([title for title in TITLES[split] if capitalize(title) != arguments["title"]])
    paired = json.loads(json.dumps(example))
    if example["category"] == "single":
        store = TaskStore(":memory:", today=dt.date.fromisoformat(example["today"]), first_task_id=rng.randint(2, 400))
        result = compact_tasks(TaskExecutor(store).execute("create_task", arguments))
        paired["messages"] += [tool_message(calls[0]["id"], result),
                               assistant_text(summarize_result("create_task", arguments, result))]
    second = wording_pool("create", split)[int(index)].format(title=title, Title=capitalize(title), details="")
    paired["messages"] += [user(second), assistant_calls([("create_task", {"title": capitalize(title)})], first_id=1)]
    paired["category"] = "multi_turn"
    paired["templates"].append(template_id)
    paired["values"].append(title)
    return paired


def pair_new_tasks(examples: list[dict]) -> tuple[list[dict], int]:
    """A copy of ``examples`` with each new task that has details ``pair_without_details``, and how many did."""
    copies = [pair_without_details(example, line) or example for line, example in enumerate(examples)]
    return copies, sum(copy is not example for copy, example in zip(copies, examples))


def main(argv=None) -> None:
    copy_split_main(argv, __doc__, lambda examples, args: pair_new_tasks(examples), "new tasks paired")


if __name__ == "__main__":
    main()
