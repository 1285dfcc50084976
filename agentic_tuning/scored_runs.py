"""Every committed run's scores on one split: the committed CPU run, the CPU experiments under
``results/experiments/`` and the GPU runs under ``results/gpu/``.

Only runs scored on the same data file as the committed run count (the ``sha256`` of the results
file's ``data``): earlier versions of the splits asked other questions, so their scores are not
points on the same map.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from .gpu_results import GPU_RESULTS_DIR, gpu_run_folders
from .paths import RESULTS_DIR

# The results file of each split: for the committed run and every experiment alike, and for a GPU run.
CPU_RESULTS_FILES = {"dev": "cpu_tuned_dev.json", "dev_wide": "cpu_tuned_dev_wide.json", "test": "cpu_tuned.json"}
GPU_RESULTS_FILES = {"dev": "tuned_dev.json", "dev_wide": "tuned_dev_wide.json", "test": "tuned_test.json"}


def read_results(path: Path) -> dict | None:
    """A results file (JSON under ``results/``), or None when it does not exist."""
    return json.loads(path.read_text()) if path.exists() else None


def fully_correct(results: dict) -> int:
    """How many cases of an evaluation results file were fully correct."""
    return results["overall"]["failure_classes"].get("correct", 0)


@dataclass(frozen=True)
class ScoredRun:
    name: str
    kind: str  # "committed", "cpu" or "gpu"
    tool_selection: float
    argument_exact_match: float

    def meets(self, targets: dict[str, float]) -> bool:
        return (self.tool_selection >= targets["tool_selection_accuracy"]
                and self.argument_exact_match >= targets["argument_exact_match"])


def _scored(name: str, kind: str, results: dict) -> ScoredRun:
    overall = results["overall"]
    return ScoredRun(name, kind, overall["tool_selection_accuracy"], overall["argument_exact_match"])


def scored_runs(split: str, results_dir: Path = RESULTS_DIR, gpu_dir: Path = GPU_RESULTS_DIR) -> list[ScoredRun]:
    """The runs scored on ``split`` ("dev", "dev_wide" or "test") on the committed run's data file, committed run first;
    empty when the committed run was not scored on it."""
    results_file = CPU_RESULTS_FILES[split]
    committed = read_results(results_dir / results_file)
    if committed is None:
        return []
    runs = [_scored("committed", "committed", committed)]
    candidates = [(path.parent.name, "cpu", path) for path in sorted(results_dir.glob(f"experiments/*/{results_file}"))]
    candidates += [(folder.name, "gpu", folder / GPU_RESULTS_FILES[split]) for folder in gpu_run_folders(gpu_dir)]
    for name, kind, path in candidates:
        if (results := read_results(path)) is not None:
            if results["data"]["sha256"] == committed["data"]["sha256"]:
                runs.append(_scored(name, kind, results))
    return runs
