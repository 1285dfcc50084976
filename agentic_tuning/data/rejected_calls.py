"""A wrong answer to pair with a training example's right one, for a preference loss (``odds_ratio_weight``).

The committed run's two largest misses on test are a new task given a field the user never asked for (most of
its 17 wrong single `create_task` calls: the *unasked* column of ``python -m agentic_tuning.argument_accuracy
results/cpu_tuned.json``) and a request for two calls answered with the first alone (7 of its 11 wrong tool
selections). Supervised training only ever shows the right answer; an odds-ratio loss (ORPO, Hong et al., 2024,
arXiv:2403.07691) also pushes the model's odds of the right answer above those of a wrong one. This module
writes those wrong answers from the right ones, so they cost no generation:

- a single `create_task` call gets one optional field its arguments lack, with a value from the train split's
  own pools (a date phrase, a priority, a description, a tag);
- two or more calls in one turn become the first call alone.

Other examples get none: they train with the supervised loss only. Round ``odds_ratio_1.0_200_steps`` of
docs/experiments.md trained with these pairs (two seeds): the model came to prefer the right answers in the
train split's wordings and added as many fields unasked as before in held-out ones; not adopted.
"""

from __future__ import annotations

import datetime as dt
import json
import random

from ..dates import sample_date_phrase
from .scenarios import DATE_KINDS, PRIORITIES, capitalize
from .vocabulary import DESCRIPTIONS, TAGS

OPTIONAL_CREATE_FIELDS = ("due_date", "priority", "description", "tags")


def unasked_value(field: str, rng: random.Random, today: dt.date):
    """A value for an optional ``create_task`` field, drawn from the train split's pools."""
    if field == "due_date":
        return sample_date_phrase(rng, today, DATE_KINDS)[0]
    if field == "priority":
        return rng.choice(PRIORITIES)
    if field == "description":
        return capitalize(rng.choice(DESCRIPTIONS["train"]))
    return [rng.choice(TAGS["train"])]


def with_unasked_field(call: dict, rng: random.Random, today: dt.date) -> dict | None:
    """``call`` (a `create_task` tool call) with one optional field added that its arguments lack; None when it
    has them all."""
    arguments = json.loads(call["function"]["arguments"])
    missing = [field for field in OPTIONAL_CREATE_FIELDS if field not in arguments]
    if not missing:
        return None
    field = rng.choice(missing)
    arguments[field] = unasked_value(field, rng, today)
    return {**call, "function": {**call["function"], "arguments": json.dumps(arguments)}}


def rejected_answer(example: dict, seed: int = 0) -> dict | None:
    """A wrong version of the one assistant turn of ``example`` (see the module's docstring), or None where
    the example has another shape or no such mistake to make. The same example and seed give the same answer."""
    assistant_turns = [message for message in example["messages"] if message["role"] == "assistant"]
    if len(assistant_turns) != 1 or example["messages"][-1]["role"] != "assistant":
        return None
    answer = assistant_turns[0]
    calls = answer.get("tool_calls") or []
    if len(calls) > 1:
        return {**answer, "tool_calls": calls[:1]}
    if len(calls) == 1 and calls[0]["function"]["name"] == "create_task":
        rng = random.Random(f"{seed}|{json.dumps(example['messages'])}")
        call = with_unasked_field(calls[0], rng, dt.date.fromisoformat(example["today"]))
        return None if call is None else {**answer, "tool_calls": [call]}
    return None


def rejected_messages(example: dict, seed: int = 0) -> list[dict] | None:
    """``example``'s messages with its answer replaced by ``rejected_answer``, or None where it has none."""
    answer = rejected_answer(example, seed)
    return None if answer is None else [*example["messages"][:-1], answer]
