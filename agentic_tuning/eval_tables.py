"""Evaluation results (``evaluate.evaluate`` or a results JSON) as pandas tables and plots.

Notebook 06 compares the base and the tuned model with these: the headline metrics, per
category and per tool, the tool confusion matrix, latency, the failure classes, the wrong
cases, and how far each model is from the course targets.
"""

from __future__ import annotations

import json
import math
from collections import defaultdict
from pathlib import Path

from .evaluate import HEADLINE_METRICS
from .formats import arguments_to_object
from .paths import RESULTS_DIR
from .report import TARGETS
from .tools import TOOL_NAMES
from .unrequested_deletes import cases_with_unrequested_deletes

# The two targets the course states: tool selection > 95 %, JSON validity > 99 %.
COURSE_TARGETS = {name: TARGETS[name] for name in ("tool_selection_accuracy", "json_validity")}
GROUP_METRICS = ("n_cases", "json_validity", "schema_validity", "tool_selection_accuracy",
                 "argument_exact_match", "argument_f1", "no_tool_accuracy")
_END_MARKERS = ("<|im_end|>", "<|endoftext|>")


def sample_by_category(examples: list[dict], n: int) -> list[dict]:
    """``n`` examples taken in turn from each category (in file order), so a small sample covers them all."""
    queues = defaultdict(list)
    for example in examples:
        queues[example.get("category", "unlabelled")].append(example)
    picked, order = [], sorted(queues)
    while len(picked) < min(n, len(examples)):
        for category in order:
            if queues[category] and len(picked) < n:
                picked.append(queues[category].pop(0))
    return picked


def _percent(value):
    return None if value is None else round(100 * value, 1)


def headline(results: dict[str, dict]):
    """Headline metrics (%) of each named results dict, one column per model."""
    import pandas as pd

    table = {name: {**{m: _percent(r["overall"][m]) for m in HEADLINE_METRICS}, "n_cases": r["overall"]["n_cases"]}
             for name, r in results.items()}
    # object columns, so n_cases stays an integer next to the percentages
    return pd.DataFrame({name: pd.Series(column, dtype=object) for name, column in table.items()})


def group_table(results: dict, by: str = "by_category", metrics=GROUP_METRICS):
    """One row per category (``by_category``) or per reference tool (``by_tool``); rates in %."""
    import pandas as pd

    rows = {group: {m: g[m] if m == "n_cases" else _percent(g[m]) for m in metrics}
            for group, g in results[by].items()}
    return pd.DataFrame(rows).T.rename_axis(by.removeprefix("by_"))


def compare_groups(base: dict, tuned: dict, by: str = "by_category", metric: str = "tool_selection_accuracy"):
    """``metric`` (%) per group for the base and the tuned model, with the change in points."""
    import pandas as pd

    groups = sorted(set(base[by]) | set(tuned[by]))
    rows = []
    for group in groups:
        before, after = (_percent(r[by].get(group, {}).get(metric)) for r in (base, tuned))
        change = None if before is None or after is None else round(after - before, 1)
        rows.append({by.removeprefix("by_"): group, "n": tuned[by].get(group, base[by].get(group))["n_cases"],
                     "base": before, "tuned": after, "change (points)": change})
    return pd.DataFrame(rows).set_index(by.removeprefix("by_"))


def confusion_frame(results: dict):
    """The tool confusion matrix: reference tool (rows) x predicted tool (columns), counts."""
    import pandas as pd

    matrix = results["confusion_matrix"]
    order = [*TOOL_NAMES, "none"]
    rows = [name for name in order if name in matrix] + sorted(set(matrix) - set(order))
    seen = {p for row in matrix.values() for p in row}
    columns = [name for name in [*order, "multiple"] if name in seen | set(rows)] + sorted(seen - set(order) - {"multiple"})
    frame = pd.DataFrame(0, index=rows, columns=columns)
    for ref, row in matrix.items():
        for pred, count in row.items():
            frame.loc[ref, pred] = count
    return frame.rename_axis(index="reference", columns="predicted")


def plot_confusion(results: dict, title: str = "", ax=None):
    """Heatmap of :func:`confusion_frame` with the counts written in the cells."""
    import matplotlib.pyplot as plt

    frame = confusion_frame(results)
    if ax is None:
        _, ax = plt.subplots(figsize=(0.55 * len(frame.columns) + 2.5, 0.45 * len(frame.index) + 1.5))
    ax.imshow(frame.to_numpy(), cmap="Blues")
    ax.set_xticks(range(len(frame.columns)), frame.columns, rotation=60, ha="right")
    ax.set_yticks(range(len(frame.index)), frame.index)
    ax.set(xlabel="predicted tool", ylabel="reference tool", title=title)
    peak = frame.to_numpy().max() or 1
    for i, row in enumerate(frame.to_numpy()):
        for j, count in enumerate(row):
            if count:
                ax.text(j, i, int(count), ha="center", va="center", fontsize=8,
                        color="white" if count > peak / 2 else "black")
    ax.figure.tight_layout()
    return ax


def plot_argument_accuracy(rows: list[dict], title: str = "", ax=None):
    """Horizontal bars of ``argument_accuracy.accuracy_by_argument`` rows: the share of right values among
    the calls to the right tool, labelled "right/called (asked)", with ", unasked N" where the model added the
    argument to N right calls the user never asked it in; arguments never called get no bar."""
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(7, 0.35 * len(rows) + 1.2))
    names = [row["argument"] for row in rows]
    shares = [100 * (row["accuracy"] or 0) for row in rows]
    ax.barh(names, shares, color="tab:blue")
    ax.invert_yaxis()
    for i, row in enumerate(rows):
        unasked = f", unasked {row['n_unasked']}" if row["n_unasked"] else ""
        ax.text(shares[i] + 1, i, f"{row['n_matched']}/{row['n_called']} (asked {row['n_reference']}{unasked})",
                va="center", fontsize=8)
    ax.set(xlim=(0, 130), xticks=range(0, 101, 20), title=title,
           xlabel="right value, % of the calls to the right tool")
    ax.figure.tight_layout()
    return ax


def latency_table(results: dict[str, dict]):
    """Latency p50/p95/mean (s), generated tokens per case and tokens/s for each named model."""
    import pandas as pd

    rows = {name: {"p50 (s)": r["latency_s"]["p50"], "p95 (s)": r["latency_s"]["p95"],
                   "mean (s)": r["latency_s"]["mean"], "generated tokens (mean)": r["generated_tokens"]["mean"],
                   "tokens/s": r["tokens_per_s"]} for name, r in results.items()}
    return pd.DataFrame(rows).T.astype(float).round(3)


def failure_table(results: dict[str, dict]):
    """Cases per failure class for each named model (0 where a class never occurs)."""
    import pandas as pd

    return pd.DataFrame({name: r["failure_classes"] for name, r in results.items()}).fillna(0).astype(int)


def describe_turn(message: dict) -> str:
    """An assistant turn in one line: ``name(arg=value, ...)`` per call, or its text."""
    if not message.get("tool_calls"):
        return message.get("content") or ""
    calls = []
    for call in message["tool_calls"]:
        try:
            arguments = arguments_to_object(call["function"]["arguments"])
            text = ", ".join(f"{k}={json.dumps(v, ensure_ascii=False)}" for k, v in arguments.items())
        except ValueError:
            text = str(call["function"]["arguments"])
        calls.append(f"{call['function']['name']}({text})")
    return "; ".join(calls)


def clean_output(text: str) -> str:
    for marker in _END_MARKERS:
        text = text.replace(marker, "")
    return text.strip()


def wrong_cases(results: dict, limit: int | None = None):
    """Every case whose failure class is not ``correct``: request, reference, raw output, failure class."""
    import pandas as pd

    rows = [{"category": c["category"], "request": c["request"], "reference": describe_turn(c["reference"]),
             "output": clean_output(c["output"]), "failure class": c["failure_class"]}
            for c in results["cases"] if c["failure_class"] != "correct"]
    frame = pd.DataFrame(rows, columns=["category", "request", "reference", "output", "failure class"])
    return frame.head(limit) if limit is not None else frame


def top_confusions(results: dict, n: int = 5):
    """The ``n`` most frequent off-diagonal cells of the confusion matrix: reference tool, predicted tool, count."""
    import pandas as pd

    cells = [(ref, pred, count) for ref, row in results["confusion_matrix"].items() for pred, count in row.items()
             if pred != ref and count]
    cells.sort(key=lambda cell: (-cell[2], cell[0], cell[1]))
    return pd.DataFrame(cells[:n], columns=["reference", "predicted", "cases"])


def unrequested_destructive_calls(results: dict):
    """Every case that asked for no deletion and got a delete call, whether it needed another tool or
    none (``unrequested_deletes``): category, request, what the reference did, and the raw output."""
    import pandas as pd

    rows = [{"category": case["category"], "request": case["request"], "reference": describe_turn(case["reference"]),
             "output": clean_output(case["output"])}
            for case, _ in cases_with_unrequested_deletes(results)]
    return pd.DataFrame(rows, columns=["category", "request", "reference", "output"])


def runs_on_the_test_split(results_dir: Path | str = RESULTS_DIR) -> dict[str, dict]:
    """The committed run's test results (``cpu_tuned.json``) and those of every ablation under
    ``experiments/`` scored on the same test split (the same sha256 of the data file), by run name."""
    committed = json.loads((Path(results_dir) / "cpu_tuned.json").read_text())
    runs = {"committed": committed}
    for path in sorted((Path(results_dir) / "experiments").glob("*/cpu_tuned.json")):
        results = json.loads(path.read_text())
        if results.get("data", {}).get("sha256") == committed.get("data", {}).get("sha256"):
            runs[path.parent.name] = results
    return runs


def unrequested_deletes_per_run(runs: dict[str, dict]):
    """Per run, how many turns asked for no deletion and got a delete call, most first."""
    import pandas as pd

    frame = pd.DataFrame({"deletes where none was asked": [len(cases_with_unrequested_deletes(r)) for r in runs.values()],
                          "cases": [r["overall"]["n_cases"] for r in runs.values()]}, index=pd.Index(list(runs), name="run"))
    return frame.sort_values("deletes where none was asked", ascending=False, kind="stable")


def side_by_side(results: dict[str, dict]):
    """The same cases evaluated by several models: request, reference, and each model's output and
    failure class (the results must come from the same examples, in the same order)."""
    import pandas as pd

    first = next(iter(results.values()))["cases"]
    frame = pd.DataFrame({"category": [c["category"] for c in first], "request": [c["request"] for c in first],
                          "reference": [describe_turn(c["reference"]) for c in first]})
    for name, r in results.items():
        if [c["request"] for c in r["cases"]] != list(frame["request"]):
            raise ValueError(f"results {name!r} are not for the same cases")
        frame[f"{name} output"] = [clean_output(c["output"]) for c in r["cases"]]
        frame[f"{name}: class"] = [c["failure_class"] for c in r["cases"]]
    return frame


# The denominator of each target metric (README targets included): tool cases unless listed here.
_CASES_FOR = {"no_tool_accuracy": ("n_no_tool_cases", "no-tool")}


def target_gaps(results: dict[str, dict], targets: dict[str, float] = COURSE_TARGETS):
    """Each model against each target (strictly above): measured %, gap in points, and how many more
    cases (of the metric's denominator) would have to be right to pass."""
    import pandas as pd

    rows = []
    for name, r in results.items():
        for metric, target in targets.items():
            count_key, _ = _CASES_FOR.get(metric, ("n_tool_cases", "tool"))
            n = r["overall"][count_key]
            value = r["overall"][metric] or 0.0
            correct = round(value * n)
            needed = math.floor(target * n) + 1  # the fewest correct cases with a rate strictly above target
            rows.append({"model": name, "metric": metric, "target (%)": f"> {100 * target:g}",
                         "measured (%)": _percent(value), "gap (points)": round(100 * (value - target), 1),
                         "met": value > target, "cases": n, "more correct cases needed": max(0, needed - correct)})
    return pd.DataFrame(rows).set_index(["model", "metric"])


def describe_gaps(results: dict[str, dict], targets: dict[str, float] = COURSE_TARGETS) -> list[str]:
    """One sentence per model and target, from :func:`target_gaps`."""
    sentences = []
    for (model, metric), row in target_gaps(results, targets).iterrows():
        verdict = (f"meets the target (> {row['target (%)'][2:]} %)" if row["met"] else
                   f"misses the target (> {row['target (%)'][2:]} %) by {-row['gap (points)']:.1f} points: "
                   f"{row['more correct cases needed']} more of the {row['cases']} "
                   f"{_CASES_FOR.get(metric, (None, 'tool'))[1]} cases would have to be right")
        sentences.append(f"{model}: {metric} {row['measured (%)']:.1f} % {verdict}.")
    return sentences


__all__ = [
    "COURSE_TARGETS", "sample_by_category", "headline", "group_table", "compare_groups", "confusion_frame",
    "plot_confusion", "latency_table", "failure_table", "describe_turn", "clean_output", "wrong_cases",
    "top_confusions", "unrequested_destructive_calls", "runs_on_the_test_split", "unrequested_deletes_per_run",
    "side_by_side", "target_gaps", "describe_gaps",
]
