"""``make benchmark``: train the cpu profile, evaluate base and tuned on the test split, plot.

Writes results/cpu_train_log.json, results/cpu_base.json, results/cpu_tuned.json,
results/cpu_tuned_valid.json (the tuned model on the validation split, whose phrasings and values
come from the training pools: the gap to the test split measures how far the model generalises
to unseen wordings), results/cpu_tuned_dev.json (the tuned model on the dev split, whose wordings
are held out from train and test: the split to choose changes to the data on),
results/cpu_tuned_dev_wide.json (the same on the wide dev split, with more wordings), results/metrics.png
and results/loss.png, and refreshes the committed reference adapter
(adapters/smollm2-135m-tool-calling, fp16) that notebooks and CI use when they do not train.
"""

from __future__ import annotations

import argparse
import json
import shutil
from pathlib import Path

from . import evaluate, train
from .paths import DATA_DIR, REPO_ROOT, RESULTS_DIR

REFERENCE_ADAPTER = REPO_ROOT / "adapters" / "smollm2-135m-tool-calling"


def save_fp16_adapter(adapter_dir: Path, target: Path) -> None:
    """Copy an adapter folder with its LoRA weights stored in fp16 (half the size)."""
    from safetensors.torch import load_file, save_file

    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(adapter_dir, target)
    weights = target / "adapter_model.safetensors"
    save_file({k: v.half().contiguous() for k, v in load_file(weights).items()}, weights)


def output_paths(profile_spec: str) -> dict[str, Path]:
    """Where a run of ``profile_spec`` (a profile name or the path of a profile JSON) writes.

    Files are named after the profile's ``name``, so ``--profile my/ablation.json`` writes
    results/<name>_*.json and never overwrites the cpu profile's results or plots.
    """
    from .training.profiles import load_profile

    name = load_profile(profile_spec).name
    plots = "" if name == "cpu" else f"{name}_"
    return {
        "prefix": RESULTS_DIR / name,
        "run_dir": REPO_ROOT / "runs" / name,
        "loss_plot": RESULTS_DIR / f"{plots}loss.png",
        "metrics_plot": RESULTS_DIR / f"{plots}metrics.png",
    }


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--profile", default="cpu")
    parser.add_argument("--test", default=str(DATA_DIR / "test.jsonl"))
    parser.add_argument("--limit", type=int, help="evaluate only the first N test examples")
    parser.add_argument("--skip-base", action="store_true", help="keep the existing base results")
    args = parser.parse_args(argv)

    from .plots import plot_comparison, plot_loss
    from .training.trainer import save_json

    RESULTS_DIR.mkdir(exist_ok=True)
    paths = output_paths(args.profile)
    prefix, run_dir = paths["prefix"], paths["run_dir"]
    log = train.run(args.profile, out=str(run_dir))
    save_json(f"{prefix}_train_log.json", log)
    plot_loss(log, paths["loss_plot"])
    if log["profile"]["name"] == "cpu":
        save_fp16_adapter(run_dir / "adapter", REFERENCE_ADAPTER)
        save_json(REFERENCE_ADAPTER / "train_log.json", log)
    limit = ["--limit", str(args.limit)] if args.limit else []
    if not args.skip_base:
        evaluate.main(["--model", "embedded", "--data", args.test, "--out", f"{prefix}_base.json", *limit])
    evaluate.main(["--model", str(run_dir / "adapter"), "--data", args.test, "--out", f"{prefix}_tuned.json", *limit])
    evaluate.main(["--model", str(run_dir / "adapter"), "--data", str(DATA_DIR / "valid.jsonl"),
                   "--out", f"{prefix}_tuned_valid.json", *limit])
    for dev_split in ("dev", "dev_wide"):
        evaluate.main(["--model", str(run_dir / "adapter"), "--data", str(DATA_DIR / f"{dev_split}.jsonl"),
                       "--out", f"{prefix}_tuned_{dev_split}.json", *limit])
    if not Path(f"{prefix}_base.json").exists():
        print(f"no {prefix}_base.json to compare with; loss plot written to {paths['loss_plot']}")
        return
    base = json.loads(Path(f"{prefix}_base.json").read_text())
    tuned = json.loads(Path(f"{prefix}_tuned.json").read_text())
    plot_comparison(base, tuned, paths["metrics_plot"])
    print(f"plots written to {paths['metrics_plot']} and {paths['loss_plot']}")


if __name__ == "__main__":
    main()
