"""Plots the course shows: the training loss curve and base-vs-tuned metrics."""

from __future__ import annotations

import matplotlib.pyplot as plt

COMPARED_METRICS = {
    "json_validity": "JSON validity",
    "schema_validity": "schema validity",
    "tool_selection_accuracy": "tool selection",
    "argument_exact_match": "argument exact match",
    "argument_f1": "argument F1",
    "no_tool_accuracy": "no-tool accuracy",
}


def plot_loss(log: dict, path=None):
    steps = [s["step"] for s in log["steps"]]
    losses = [s["loss"] for s in log["steps"]]
    fig, ax = plt.subplots(figsize=(6, 3.5))
    ax.plot(steps, losses, marker=".", linewidth=1)
    ax.set(xlabel="step", ylabel="loss (assistant tokens)", yscale="log",
           title=f"{log['profile']['name']} profile, {log['backend']} backend")
    ax.grid(alpha=0.3)
    fig.tight_layout()
    if path:
        fig.savefig(path, dpi=120)
    return fig


def _values(results: dict, group: str | None) -> list[float]:
    metrics = results["overall"] if group is None else results["by_category"].get(group, {})
    return [100 * (metrics.get(name) or 0.0) for name in COMPARED_METRICS]


def plot_comparison(base: dict, tuned: dict, path=None, categories: list[str] | None = None):
    """Side-by-side bars of the headline metrics, overall and per category."""
    groups = [None, *(categories or sorted(tuned["by_category"]))]
    fig, axes = plt.subplots(1, len(groups), figsize=(3.2 * len(groups), 4), sharey=True, squeeze=False)
    positions = range(len(COMPARED_METRICS))
    for ax, group in zip(axes[0], groups):
        ax.barh([p + 0.2 for p in positions], _values(base, group), height=0.4, label="base", color="#bbbbbb")
        ax.barh([p - 0.2 for p in positions], _values(tuned, group), height=0.4, label="tuned", color="#2a7ab9")
        ax.set(title=group or "overall", xlim=(0, 100), xlabel="%")
        ax.set_yticks(list(positions), list(COMPARED_METRICS.values()))
        ax.invert_yaxis()
        ax.grid(axis="x", alpha=0.3)
    axes[0][0].legend(loc="lower right")
    fig.tight_layout()
    if path:
        fig.savefig(path, dpi=110)
    return fig


RUN_MARKERS = {"cpu": ("o", "#9ab7d3", "CPU experiment"), "gpu": ("^", "#e08a2c", "GPU run"),
               "committed": ("*", "#2a7ab9", "committed run")}


def plot_run_scores(runs_by_split: dict[str, list], targets: dict[str, float], path=None):
    """Tool selection against argument exact match for every scored run (``scored_runs.ScoredRun``), one panel
    per split, with the corner both targets ask for shaded."""
    fig, axes = plt.subplots(1, len(runs_by_split), figsize=(5.2 * len(runs_by_split), 4.4), squeeze=False)
    x_target, y_target = 100 * targets["tool_selection_accuracy"], 100 * targets["argument_exact_match"]
    for ax, (split, runs) in zip(axes[0], runs_by_split.items()):
        xs = [100 * run.tool_selection for run in runs] + [x_target]
        ys = [100 * run.argument_exact_match for run in runs] + [y_target]
        ax.set(xlim=(min(xs) - 2, 100.5), ylim=(min(ys) - 2, 100.5), xlabel="tool selection accuracy (%)",
               ylabel="argument exact match (%)", title=f"{split} split: {len(runs)} run{'' if len(runs) == 1 else 's'}")
        ax.fill_between([x_target, 100.5], y_target, 100.5, color="#5cb85c", alpha=0.2, label="both targets met")
        for kind, (marker, color, label) in RUN_MARKERS.items():
            chosen = [run for run in runs if run.kind == kind]
            ax.scatter([100 * run.tool_selection for run in chosen], [100 * run.argument_exact_match for run in chosen],
                       marker=marker, color=color, s=160 if kind == "committed" else 36, label=label,
                       edgecolors="black" if kind == "committed" else "none", zorder=3)
        ax.grid(alpha=0.3)
    axes[0][0].legend(loc="upper left", fontsize=8)
    fig.tight_layout()
    if path:
        fig.savefig(path, dpi=110)
    return fig
