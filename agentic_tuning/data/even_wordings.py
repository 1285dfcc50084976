"""Choose the examples a short run sees so that every training wording is asked about as often.

The course's CPU run sees 880 of the train split's 3,000 conversations. Drawn uniformly
(``random.Random(0).sample``), 19 of the split's 240 wordings go unasked, 27 are asked once and one 15
times. This module draws the same number of examples with the split's own mix of categories, and within
each category takes next the example whose wordings have been asked least so far: 880 examples then ask
every wording 1 to 7 times. A run over the copy with as many examples as it sees (``max_steps`` x
examples per step) goes through each of them once. Round ``train_even_wordings`` of docs/experiments.md
trained on such a copy; not adopted.

``python -m agentic_tuning.data.even_wordings --examples 880 --data data/train.jsonl --out runs/x.jsonl``
"""

from __future__ import annotations

import random
from collections import Counter

from .split_copy import copy_split_main


def apportion(weights: dict[str, float], n: int) -> dict[str, int]:
    """``n`` shared out among the keys of ``weights`` in proportion to them (largest remainders round up, so the
    counts add up to ``n``)."""
    total = sum(weights.values())
    exact = {key: n * weight / total for key, weight in weights.items()}
    counts = {key: int(value) for key, value in exact.items()}
    by_remainder = sorted(exact, key=lambda key: (counts[key] - exact[key], key))
    for key in by_remainder[: n - sum(counts.values())]:
        counts[key] += 1
    return counts


def category_counts(examples: list[dict], n: int) -> dict[str, int]:
    """How many of ``n`` examples each category gets, in proportion to its share of ``examples``."""
    if not 0 < n <= len(examples):
        raise ValueError(f"choose between 1 and {len(examples)} examples, not {n}")
    return apportion(Counter(example["category"] for example in examples), n)


def select_even_wordings(examples: list[dict], n: int, seed: int = 0) -> list[dict]:
    """``n`` of ``examples`` with their categories in proportion, each next one the example of its category
    whose wordings (``templates``) were asked least so far, ties broken by a shuffle with ``seed``; returned in
    a shuffled order."""
    rng = random.Random(seed)
    asked: Counter = Counter()
    chosen = []
    for category, count in category_counts(examples, n).items():
        pool = [example for example in examples if example["category"] == category]
        rng.shuffle(pool)
        for _ in range(count):
            best = min(range(len(pool)), key=lambda i: sum(asked[template] for template in pool[i]["templates"]))
            example = pool.pop(best)
            asked.update(example["templates"])
            chosen.append(example)
    rng.shuffle(chosen)
    return chosen


def times_asked(chosen: list[dict], examples: list[dict]) -> Counter:
    """How many times ``chosen`` asks each wording of ``examples`` (0 for those it never asks)."""
    asked = Counter({template: 0 for example in examples for template in example["templates"]})
    asked.update(template for example in chosen for template in example["templates"])
    return asked


def spread(asked: Counter) -> str:
    """The fewest and most times a wording is asked, and how many are asked never and once."""
    values = asked.values()
    return (f"each asked {min(values)} to {max(values)} times, {list(values).count(0)} never and "
            f"{list(values).count(1)} once")


def main(argv=None) -> None:
    def change(examples, args):
        chosen = select_even_wordings(examples, args.examples, args.seed)
        uniform = random.Random(args.seed).sample(examples, args.examples)
        print(f"wordings: {spread(times_asked(chosen, examples))}; in a uniform draw of as many "
              f"(random.Random({args.seed}).sample): {spread(times_asked(uniform, examples))}")
        return chosen, len({template for example in chosen for template in example["templates"]})

    def add_arguments(parser):
        parser.add_argument("--examples", type=int, required=True, help="how many examples to keep")
        parser.add_argument("--seed", type=int, default=0)

    copy_split_main(argv, __doc__, change, "wordings asked", add_arguments)


if __name__ == "__main__":
    main()
