"""Dataset statistics, including the leakage checks between train, dev and test."""

from __future__ import annotations

from collections import Counter

from ..conversations import reference_calls


def reference_tools(example: dict) -> list[str]:
    return [call["name"] for call in reference_calls(example["messages"][-1])]


def user_requests(example: dict) -> set[str]:
    return {m["content"] for m in example["messages"] if m["role"] == "user"}


def split_stats(examples: list[dict]) -> dict:
    argument_coverage: Counter = Counter()
    for example in examples:
        for call in reference_calls(example["messages"][-1]):
            argument_coverage.update(f"{call['name']}.{arg}" for arg in call["arguments"])
    categories = Counter(e["category"] for e in examples)
    return {
        "n_examples": len(examples),
        "categories": dict(sorted(categories.items())),
        "category_shares": {k: round(v / len(examples), 3) for k, v in sorted(categories.items())},
        "reference_tools": dict(sorted(Counter(t for e in examples for t in reference_tools(e) or ["none"]).items())),
        "argument_coverage": dict(sorted(argument_coverage.items())),
        "n_templates": len({t for e in examples for t in e["templates"]}),
    }


OVERLAP_PAIRS = (("train", "test"), ("train", "dev"), ("dev", "test"), ("train", "dev_wide"), ("dev_wide", "test"),
                 ("dev", "dev_wide"))
"""The split pairs whose overlap ``dataset_stats`` reports, as ``<first>_<second>_overlap``."""


def overlap(train: list[dict], test: list[dict]) -> dict:
    """What test shares with train (or any split with another): between train and a held-out split,
    all must be zero but the tool set itself."""

    def shared(key) -> list:
        return sorted(set.intersection(*(set().union(*map(key, split)) for split in (train, test))))

    return {
        "phrasing_templates": len(shared(lambda e: set(e["templates"]))),
        "user_requests": len(shared(user_requests)),
        "free_text_values": len(shared(lambda e: set(e["values"]))),
        "today_dates": len(shared(lambda e: {e["today"]})),
    }


def dataset_stats(splits: dict[str, list[dict]], seed: int) -> dict:
    return {
        "seed": seed,
        "splits": {name: split_stats(examples) for name, examples in splits.items()},
        **{f"{first}_{second}_overlap": overlap(splits[first], splits[second]) for first, second in OVERLAP_PAIRS},
    }
