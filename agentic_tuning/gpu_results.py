"""The runs trained on a GPU and committed under ``results/gpu/<name>/``.

Each folder holds the ``profile.json`` it trained, its ``train_log.json`` (written on the GPU by
``agentic_tuning.train``) and, when it was scored, ``tuned_dev.json`` and ``tuned_test.json`` (written by
``agentic_tuning.evaluate``). docs/gpu.md tells how they were made.
"""

from __future__ import annotations

import json
from pathlib import Path

from .paths import RESULTS_DIR

GPU_RESULTS_DIR = RESULTS_DIR / "gpu"


def gpu_run_folders(root: Path = GPU_RESULTS_DIR) -> list[Path]:
    """The folders of the runs that finished training, by name."""
    return sorted(path.parent for path in root.glob("*/train_log.json"))


def gpu_train_logs(root: Path = GPU_RESULTS_DIR) -> dict[str, dict]:
    return {folder.name: json.loads((folder / "train_log.json").read_text()) for folder in gpu_run_folders(root)}


def gpu_scores(root: Path = GPU_RESULTS_DIR) -> dict[str, tuple[dict, dict]]:
    """(dev, test) results of each run scored on both splits."""
    scores = {}
    for folder in gpu_run_folders(root):
        dev, test = folder / "tuned_dev.json", folder / "tuned_test.json"
        if dev.exists() and test.exists():
            scores[folder.name] = (json.loads(dev.read_text()), json.loads(test.read_text()))
    return scores
