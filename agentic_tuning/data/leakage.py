"""An independent leakage check between two splits, computed from the conversations alone.

``data/stats.json`` reports overlap from the generator's own metadata (template ids, values).
This module ignores that metadata and looks only at what a model would see: the user requests,
the free-text argument values of the reference calls, the "today" date in the system prompt, and
the nearest train request to every test request by word overlap (near-duplicates, not just copies).
"""

from __future__ import annotations

import re

import pandas as pd

from ..conversations import reference_calls
from ..tools import tool_schema

_TODAY_RE = re.compile(r"Today is \w+, (\d{4}-\d{2}-\d{2})")


def normalize(text: str) -> str:
    """Lower case, words and numbers only: 'Add a task!' and 'add a  task' compare equal."""
    return " ".join(re.findall(r"[a-z0-9]+", text.casefold()))


def user_requests(examples: list[dict]) -> set[str]:
    """Every user message, normalised."""
    return {normalize(m["content"]) for e in examples for m in e["messages"] if m["role"] == "user"}


def _is_free_text(schema: dict) -> bool:
    """A string the user chose (a title, a query, a tag), not an enum, id or date."""
    if schema.get("type") == "array":
        return _is_free_text(schema.get("items", {}))
    return schema.get("type") == "string" and not {"enum", "pattern", "format"} & set(schema)


def free_text_values(examples: list[dict]) -> set[str]:
    """Normalised free-text argument values of every reference call in every assistant turn."""
    values = set()
    for example in examples:
        for message in example["messages"]:
            if message["role"] != "assistant":
                continue
            for call in reference_calls(message):
                properties = tool_schema(call["name"], example["tools"])["properties"]
                for name, value in call["arguments"].items():
                    if _is_free_text(properties.get(name, {})):
                        values.update(normalize(v) for v in (value if isinstance(value, list) else [value]))
    return values


def today_dates(examples: list[dict]) -> set[str]:
    """The "Today is <Weekday>, <date>" dates stated in the system prompts."""
    return {match.group(1) for e in examples for m in e["messages"] if m["role"] == "system"
            for match in [_TODAY_RE.search(m["content"])] if match}


def jaccard(a: set, b: set) -> float:
    return len(a & b) / len(a | b) if a | b else 1.0


def nearest_train_requests(train: list[dict], test: list[dict]) -> pd.DataFrame:
    """For each distinct test request, its most similar train request (word-set Jaccard), most similar first."""
    train_words = [(request, set(request.split())) for request in sorted(user_requests(train))]
    rows = []
    for request in sorted(user_requests(test)):
        words = set(request.split())
        score, neighbour = max((jaccard(words, other), text) for text, other in train_words)
        rows.append({"test_request": request, "nearest_train_request": neighbour, "jaccard": round(score, 3)})
    return pd.DataFrame(rows).sort_values(["jaccard", "test_request"], ascending=[False, True], ignore_index=True)


def leakage_report(train: list[dict], test: list[dict]) -> dict:
    """Counts of what test shares with train, from the messages alone; all zero means no copy leaked."""
    return {
        "shared_user_requests": len(user_requests(train) & user_requests(test)),
        "shared_free_text_values": len(free_text_values(train) & free_text_values(test)),
        "shared_today_dates": len(today_dates(train) & today_dates(test)),
    }
