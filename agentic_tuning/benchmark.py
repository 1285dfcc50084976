"""``make benchmark``: train the cpu profile, evaluate base and tuned on the test split, plot.

Writes results/cpu_train_log.json, results/cpu_base.json, results/cpu_tuned.json,
results/cpu_tuned_valid.json (the tuned model on the validation split, whose phrasings and values
come from the training pools: the gap to the test split measures how far the model generalises
to unseen wordings), results/metrics.png and results/loss.png, and refreshes the committed reference adapter
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
    prefix = RESULTS_DIR / args.profile
    run_dir = REPO_ROOT / "runs" / args.profile
    log = train.run(args.profile, out=str(run_dir))
    save_json(f"{prefix}_train_log.json", log)
    plot_loss(log, RESULTS_DIR / "loss.png")
    if args.profile == "cpu":
        save_fp16_adapter(run_dir / "adapter", REFERENCE_ADAPTER)
        save_json(REFERENCE_ADAPTER / "train_log.json", log)
    limit = ["--limit", str(args.limit)] if args.limit else []
    if not args.skip_base:
        evaluate.main(["--model", "embedded", "--data", args.test, "--out", f"{prefix}_base.json", *limit])
    evaluate.main(["--model", str(run_dir / "adapter"), "--data", args.test, "--out", f"{prefix}_tuned.json", *limit])
    evaluate.main(["--model", str(run_dir / "adapter"), "--data", str(DATA_DIR / "valid.jsonl"),
                   "--out", f"{prefix}_tuned_valid.json", *limit])
    base = json.loads(Path(f"{prefix}_base.json").read_text())
    tuned = json.loads(Path(f"{prefix}_tuned.json").read_text())
    plot_comparison(base, tuned, RESULTS_DIR / "metrics.png")
    print(f"plots written to {RESULTS_DIR / 'metrics.png'} and {RESULTS_DIR / 'loss.png'}")


if __name__ == "__main__":
    main()
