"""Did a benchmark run reproduce another? Compare two folders of ``make benchmark`` results.

Each folder holds ``cpu_train_log.json``, ``cpu_tuned.json``, ``cpu_tuned_valid.json``,
``cpu_tuned_dev.json`` and ``cpu_tuned_dev_wide.json`` (the committed ``results/``, a clean clone's ``results/``, or an ablation
under ``results/experiments/<name>/``). An ablation folder may hold only some splits: then the
splits both folders hold are compared, and the two runs do not count as a reproduction. Training is
deterministic on a given machine and software stack, so a faithful rerun gives the same loss at
every step and the same answer to every evaluation case; only the timings differ.

``python -m agentic_tuning.run_comparison results /tmp/clone/results`` prints how many steps and
answers agree, writes the comparison with ``--out``, and exits with status 1 when any differ.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from .report import TARGETS

EVALUATIONS = {"test": "cpu_tuned.json", "valid": "cpu_tuned_valid.json", "dev": "cpu_tuned_dev.json",
               "dev_wide": "cpu_tuned_dev_wide.json"}


def _load(folder: Path, name: str) -> dict:
    return json.loads((Path(folder) / name).read_text())


def compare_training(first: dict, second: dict) -> dict:
    """Steps whose logged loss is the same in both training logs, and both wall times."""
    pairs = list(zip(first["steps"], second["steps"]))
    return {
        "steps": len(first["steps"]),
        "other_steps": len(second["steps"]),
        "same_loss": sum(a["step"] == b["step"] and a["loss"] == b["loss"] for a, b in pairs),
        "first_different_step": next((a["step"] for a, b in pairs if a["loss"] != b["loss"]), None),
        "wall_time_s": [first["wall_time_s"], second["wall_time_s"]],
        "git_commit": [first.get("git_commit"), second.get("git_commit")],
    }


def compare_evaluation(first: dict, second: dict) -> dict:
    """Cases answered with the same text in both results, and the headline metrics of each."""
    outputs = {case["index"]: case["output"] for case in second["cases"]}
    return {
        "cases": len(first["cases"]),
        "same_output": sum(outputs.get(case["index"]) == case["output"] for case in first["cases"]),
        "metrics": {name: [first["overall"][name], second["overall"][name]] for name in TARGETS},
    }


def compare_runs(first: Path, second: Path) -> dict:
    """Training and every evaluation both folders hold; ``missing`` lists the splits one lacks."""
    report = {"training": compare_training(_load(first, "cpu_train_log.json"), _load(second, "cpu_train_log.json")),
              "missing": []}
    for split, name in EVALUATIONS.items():
        if (Path(first) / name).exists() and (Path(second) / name).exists():
            report[split] = compare_evaluation(_load(first, name), _load(second, name))
        else:
            report["missing"].append(split)
    return report


def is_reproduction(report: dict) -> bool:
    """Every step and every answer of every evaluation agree; a split only one folder holds fails it."""
    training = report["training"]
    return (training["steps"] == training["other_steps"] == training["same_loss"] and not report["missing"]
            and all(report[split]["same_output"] == report[split]["cases"] for split in EVALUATIONS))


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("first", type=Path, help="a folder of benchmark results, e.g. results")
    parser.add_argument("second", type=Path, help="the folder to compare it with")
    parser.add_argument("--out", type=Path, help="also write the comparison as JSON")
    args = parser.parse_args(argv)
    report = {"folders": [str(args.first), str(args.second)], **compare_runs(args.first, args.second)}
    report["reproduced"] = is_reproduction(report)
    if args.out:
        args.out.write_text(json.dumps(report, indent=1) + "\n")
    training = report["training"]
    print(f"training: {training['same_loss']} of {training['steps']} steps with the same loss "
          f"(the other run logged {training['other_steps']}); wall time {training['wall_time_s'][0]} s "
          f"and {training['wall_time_s'][1]} s")
    for split in EVALUATIONS:
        if split in report["missing"]:
            print(f"{split}: not in both folders, not compared")
            continue
        row = report[split]
        metrics = ", ".join(f"{name} {a:.3f} / {b:.3f}" for name, (a, b) in row["metrics"].items())
        print(f"{split}: {row['same_output']} of {row['cases']} answers identical; {metrics}")
    print("reproduced: every step and every answer agree" if report["reproduced"] else "not reproduced")
    sys.exit(0 if report["reproduced"] else 1)


if __name__ == "__main__":
    main()
