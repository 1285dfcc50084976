"""The agentic SFT dataset: task-manager conversations whose reference turn calls tools.

``build_split`` makes one split deterministically from a seed; ``python -m agentic_tuning.data``
writes data/train.jsonl, valid.jsonl, dev.jsonl, dev_wide.jsonl, test.jsonl and data/stats.json.
Train and valid draw phrasings, free-text values and "today" dates from the train pools; test draws
all three from held-out pools, so its scores measure generalisation, not memory. Dev is for
choosing changes to the data without looking at the test wordings: its phrasings are held out from
train and from test, its values and dates are the test split's. Dev_wide is a second development
split of the same size and kind, from a wording pool of its own with three to eight wordings per
request type instead of one or two, dealt evenly (``EVEN_WORDING_SPLITS``), so each wording is
asked about a few times at most and one wording learned or missed moves its score less.
"""

from __future__ import annotations

import datetime as dt
import random

from ..conversations import reference_calls
from ..dates import format_date, today_line
from ..tools import load_tools, validate_arguments
from .scenarios import CATEGORIES, Context, split_shares
from .vocabulary import SYSTEM_INSTRUCTIONS

SPLIT_SIZES = {"train": 3000, "valid": 120, "dev": 240, "dev_wide": 240, "test": 240}
SPLIT_POOLS = {"train": ("train", "train"), "valid": ("train", "train"), "dev": ("dev", "test"),
               "dev_wide": ("dev_wide", "test"), "test": ("test", "test")}
"""Each split's (wording pool, value pool); values include the "today" dates."""
EVEN_WORDING_SPLITS = {"dev_wide"}
"""Splits that deal each pool's wordings from a shuffled deck (``Context``), so every wording is asked
about as often as the others, instead of drawing each independently."""
DATE_RANGE = (dt.date(2026, 1, 1), dt.date(2027, 12, 31))
TEST_DAYS = 24


def today_pools(seed: int) -> dict[str, list[dt.date]]:
    """Disjoint "today" dates for train and test."""
    start, end = DATE_RANGE
    days = [start + dt.timedelta(i) for i in range((end - start).days + 1)]
    test = set(random.Random(seed).sample(days, TEST_DAYS))
    return {"train": [d for d in days if d not in test], "test": sorted(test)}


def system_prompt(ctx: Context) -> str:
    """States today's date as "Today is <Weekday>, <YYYY-MM-DD>." with varied wording around it."""
    instruction = ctx.rng.choice(SYSTEM_INSTRUCTIONS[ctx.wording_split])
    parts = [today_line(ctx.today)]
    return " ".join([instruction, *parts] if ctx.rng.random() < 0.5 else [*parts, instruction])


def category_plan(size: int, rng: random.Random, shares: dict[str, float]) -> list[str]:
    """Exactly ``size`` category names in their target shares, shuffled."""
    plan = []
    for name, share in shares.items():
        plan += [name] * round(share * size)
    plan = (plan + ["single"] * size)[:size]
    rng.shuffle(plan)
    return plan


def validate_example(example: dict) -> None:
    """Every call in the conversation must satisfy its tool's schema."""
    for message in example["messages"]:
        for call in reference_calls(message):
            errors = validate_arguments(call["name"], call["arguments"], example["tools"])
            if errors:
                raise ValueError(f"invalid reference call {call}: {errors}")


def build_split(split: str, size: int, seed: int) -> list[dict]:
    rng = random.Random(f"{seed}-{split}")
    wording_split, value_split = SPLIT_POOLS[split]
    todays = today_pools(seed)[value_split]
    tools = load_tools()
    wording_decks = {} if split in EVEN_WORDING_SPLITS else None
    examples = []
    for category in category_plan(size, rng, split_shares(split)):
        ctx = Context(rng, wording_split, value_split, rng.choice(todays), wording_decks)
        system = {"role": "system", "content": system_prompt(ctx)}
        turn = CATEGORIES[category][0](ctx)
        example = {
            "messages": [system, *turn.messages],
            "tools": tools,
            "category": turn.category,
            "templates": turn.templates,
            "values": sorted(set(turn.values)),
            "today": format_date(ctx.today),
        }
        validate_example(example)
        examples.append(example)
    return examples


def build_dataset(seed: int = 0, sizes: dict[str, int] | None = None) -> dict[str, list[dict]]:
    sizes = sizes or SPLIT_SIZES
    return {split: build_split(split, size, seed) for split, size in sizes.items()}
