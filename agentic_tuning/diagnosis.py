"""Notebook 01: the course's opening requests, and how a run's failures are counted and shown.

The three seed requests come as dataset examples (system prompt stating the date, request,
reference turn), so the evaluator scores them exactly like the test split. The plot puts the
failure taxonomy of several runs side by side as shares of their cases, each labelled with its n.
"""

from __future__ import annotations

import datetime as dt

from .agent import default_system_prompt
from .conversations import assistant_calls
from .dates import format_date
from .formats import OutputKind, openai_to_hermes
from .metrics import FAILURE_CLASSES
from .tools import load_tools

SEED_DATE = dt.date(2026, 11, 30)  # a Monday: the executor resolves "Friday" to 2026-12-04
SEED_REQUESTS = (
    "Create a high-priority task to review the Q4 budget by Friday",
    "Mark the budget review task as done",
    "What tasks do I have due this week?",
)
OUTPUT_KINDS = tuple(kind.value for kind in OutputKind)


def seed_references() -> list[dict]:
    """The reference assistant turn for each seed request, as the dataset would write it.

    "by Friday" becomes the user's "Friday", which the executor resolves. "Mark the budget review
    task as done" names no id, so the first correct step is a search.
    """
    return [
        assistant_calls([("create_task", {"title": "Review the Q4 budget", "priority": "high", "due_date": "Friday"})]),
        assistant_calls([("search_tasks", {"query": "budget review"})]),
        assistant_calls([("list_tasks", {"filter": "due_this_week"})]),
    ]


def seed_examples(today: dt.date = SEED_DATE, tools: list[dict] | None = None) -> list[dict]:
    """The seed requests as examples in the course's conversation format (category "seed")."""
    tools = load_tools() if tools is None else tools
    system = {"role": "system", "content": default_system_prompt(today)}
    return [
        {"messages": [system, {"role": "user", "content": request}, reference], "tools": tools,
         "category": "seed", "today": format_date(today)}
        for request, reference in zip(SEED_REQUESTS, seed_references())
    ]


def reference_text(message: dict) -> str:
    """A reference turn as the text the model should have produced."""
    return openai_to_hermes(message) if message.get("tool_calls") else message.get("content") or ""


def class_examples(cases: list[dict], max_chars: int = 240) -> list[dict]:
    """The first case of each failure class (in FAILURE_CLASSES order) with its request, reference and output."""
    rows = []
    for name in FAILURE_CLASSES:
        case = next((c for c in cases if c["failure_class"] == name), None)
        if case is None:
            continue
        rows.append({
            "failure_class": name,
            "output_kind": case["output_kind"],
            "category": case["category"],
            "request": case["request"],
            "reference": _clip(reference_text(case["reference"]), max_chars),
            "output": _clip(case["output"], max_chars),
        })
    return rows


def _clip(text: str, max_chars: int) -> str:
    return text if len(text) <= max_chars else text[: max_chars - 1] + "…"


def count_table(runs: dict[str, dict], field: str = "failure_classes") -> list[dict]:
    """One row per class (``field`` is "failure_classes" or "output_kinds"): its count in every run."""
    order = FAILURE_CLASSES if field == "failure_classes" else OUTPUT_KINDS
    names = [n for n in order if any(r[field].get(n) for r in runs.values())]
    return [{"class": n, **{label: r[field].get(n, 0) for label, r in runs.items()}} for n in names]


def run_size(results: dict) -> int:
    """How many cases a results dict holds (the n a plot labels it with)."""
    return sum(results["failure_classes"].values())


def same_outputs(live_cases: list[dict], committed_cases: list[dict]) -> int:
    """How many live cases produced exactly the committed output of the case at the same index."""
    committed = {c["index"]: c["output"] for c in committed_cases}
    return sum(committed.get(c["index"]) == c["output"] for c in live_cases)


def plot_failure_classes(runs: dict[str, dict], path=None):
    """Failure classes and parser output kinds of several runs, side by side, as % of each run's cases.

    ``runs`` maps a label to a results dict (``failure_classes`` and ``output_kinds`` counts);
    each legend entry carries the run's n.
    """
    import matplotlib.pyplot as plt

    fields = {"failure_classes": "failure class", "output_kinds": "parser output kind"}
    fig, axes = plt.subplots(1, 2, figsize=(12, 4.5))
    height = 0.8 / max(len(runs), 1)
    for ax, (field, title) in zip(axes, fields.items()):
        rows = count_table(runs, field)
        positions = range(len(rows))
        for i, (label, results) in enumerate(runs.items()):
            n = run_size(results)
            shares = [100 * row[label] / n for row in rows]
            bars = ax.barh([p + (i - (len(runs) - 1) / 2) * height for p in positions], shares, height=height,
                           label=f"{label} (n={n})")
            ax.bar_label(bars, labels=[str(row[label]) for row in rows], padding=2, fontsize=8)
        ax.set_yticks(list(positions), [row["class"] for row in rows])
        ax.invert_yaxis()
        ax.set(xlabel="% of the run's cases (bar label: count)", title=title, xlim=(0, 110))
        ax.grid(axis="x", alpha=0.3)
    handles, labels = axes[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="upper center", ncol=len(runs), frameon=False)
    fig.tight_layout(rect=(0, 0, 1, 0.93))
    if path:
        fig.savefig(path, dpi=110)
    return fig


__all__ = [
    "SEED_DATE", "SEED_REQUESTS", "OUTPUT_KINDS", "seed_references", "seed_examples", "reference_text",
    "class_examples", "count_table", "run_size", "same_outputs", "plot_failure_classes",
]
