"""The committed recipe's own runs: how far apart it lands with other seeds and on other CPUs.

The runs of the committed recipe are the committed run and the experiments of ``RECIPE_EXPERIMENTS``:
each trained ``configs/cpu.json`` but for its name, description and seed, on the committed run's
train split, with the committed training code. A profile alone cannot say the last (a round may
change the code and keep the profile), so the list is kept by hand and checked against the profiles.
Each run keeps the CPU its training log names: bf16 kernels round differently on different CPUs,
so the same seed trains another model on another CPU. A change has to beat these runs on its own
CPU, not one draw of them.

``python -m agentic_tuning.recipe_seeds`` prints the table the README shows.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from statistics import mean

from .paths import RESULTS_DIR
from .scored_runs import CPU_RESULTS_FILES, fully_correct, read_results
from .training.profiles import TrainingProfile, profile_path

SPLITS = ("dev", "dev_wide", "test")
SPLIT_NAMES = {"dev": "dev", "dev_wide": "wide dev", "test": "test"}
# What may differ between two runs of one recipe.
RUN_FIELDS = ("name", "description", "seed")
# The experiments that ran the committed recipe with the committed training code. Left out although their profile
# is the recipe's: neftune_15_intended_on_amx_cpu (the committed run's reproduction, answer for answer:
# its reproduction.json), neftune_15_intended (reproduced step for step and answer for answer by
# neftune_15_intended_on_epyc_cpu: its reproduction.json), neftune_15 (a bug noised more than the profile says)
# and stop_decision_weighted_neftune (its code weighted one more token).
RECIPE_EXPERIMENTS = ("neftune_15_intended_seed_1", "neftune_15_intended_seed_2",
                      "neftune_15_intended_on_epyc_cpu", "neftune_15_intended_seed_1_on_epyc_cpu")


@dataclass(frozen=True)
class RecipeRun:
    name: str
    seed: int
    cpu: str
    training_minutes: float
    fully_correct: dict[str, int]  # split -> fully correct cases, for the splits it was scored on


def same_recipe(profile: dict, recipe: dict) -> bool:
    """Whether two profiles (as JSON) train alike but for ``RUN_FIELDS``; a field one leaves out takes its default."""
    def settings(fields: dict) -> dict:
        complete = TrainingProfile(**fields).to_dict()
        return {key: value for key, value in complete.items() if key not in RUN_FIELDS}

    return settings(profile) == settings(recipe)


def cpu_name(log: dict) -> str:
    """The CPU a training log names, without trademark signs, with AMX when it had it (its bf16 matrix units):
    "Intel Xeon with AMX", "AMD EPYC"."""
    cpu = log["cpu"]
    model = cpu["model"].replace("(R)", "").replace("(TM)", "").removesuffix(" Processor").strip()
    return f"{model} with AMX" if "amx_bf16" in cpu["vector_extensions"] else model


def _recipe_run(name: str, folder: Path, log: dict, profile: dict) -> RecipeRun:
    correct = {}
    for split in SPLITS:
        if (results := read_results(folder / CPU_RESULTS_FILES[split])) is not None:
            correct[split] = fully_correct(results)
    return RecipeRun(name, profile["seed"], cpu_name(log), log["wall_time_s"] / 60, correct)


def recipe_runs(results_dir: Path = RESULTS_DIR, recipe_path: Path = profile_path("cpu"),
                experiments: tuple[str, ...] = RECIPE_EXPERIMENTS) -> list[RecipeRun]:
    """The committed run, then each of ``experiments``; ValueError for one that did not run the recipe on the
    committed train split."""
    committed_log = read_results(results_dir / "cpu_train_log.json")
    if committed_log is None:
        return []
    recipe = json.loads(recipe_path.read_text())
    runs = [_recipe_run("committed", results_dir, committed_log, committed_log["profile"])]
    for name in experiments:
        folder = results_dir / "experiments" / name
        log, profile = json.loads((folder / "cpu_train_log.json").read_text()), json.loads((folder / "profile.json").read_text())
        if not same_recipe(profile, recipe) or log["data"]["sha256"] != committed_log["data"]["sha256"]:
            raise ValueError(f"{name} did not train {recipe_path.name} on the committed train split")
        runs.append(_recipe_run(f"`{name}`", folder, log, profile))
    return runs


def means_by_cpu(runs: list[RecipeRun]) -> dict[str, dict[str, tuple[float, int]]]:
    """Per CPU and split: the mean fully correct cases of its runs scored there, and how many runs that is."""
    means = {}
    for cpu in dict.fromkeys(run.cpu for run in runs):
        on_cpu = [run for run in runs if run.cpu == cpu]
        means[cpu] = {split: (mean(scores), len(scores)) for split in SPLITS
                      if (scores := [run.fully_correct[split] for run in on_cpu if split in run.fully_correct])}
    return means


def recipe_rows(runs: list[RecipeRun]) -> list[str]:
    """A table row per run: its seed, CPU and training minutes, then its fully correct cases per split."""
    lines = ["| run | seed | CPU | training | " + " | ".join(f"{SPLIT_NAMES[s]}: fully correct" for s in SPLITS) + " |",
             "|---|---:|---|---:|" + "---:|" * len(SPLITS)]
    for run in runs:
        cells = " | ".join(str(run.fully_correct.get(split, "–")) for split in SPLITS)
        lines.append(f"| {run.name} | {run.seed} | {run.cpu} | {run.training_minutes:.1f} min | {cells} |")
    return lines


def means_summary(runs: list[RecipeRun]) -> str:
    """One sentence per CPU: the mean fully correct cases of its runs on each split."""
    sentences = []
    for cpu, by_split in means_by_cpu(runs).items():
        parts = [f"{by_split[split][0]:.1f} on {SPLIT_NAMES[split]} ({by_split[split][1]} "
                 f"run{'s' if by_split[split][1] > 1 else ''})" for split in SPLITS if split in by_split]
        sentences.append(f"on the {cpu}, {', '.join(parts)}")
    return "Mean fully correct cases of the recipe's runs per CPU: " + "; ".join(sentences) + "."


def main() -> None:
    runs = recipe_runs()
    print("\n".join(recipe_rows(runs)))
    print()
    print(means_summary(runs))


if __name__ == "__main__":
    main()
