"""``python -m agentic_tuning.data``: write the train/valid/dev/test splits and their statistics."""

import argparse
import json
import time

from ..conversations import write_jsonl
from ..paths import DATA_DIR
from . import SPLIT_SIZES, build_dataset
from .stats import OVERLAP_PAIRS, dataset_stats


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", default=str(DATA_DIR), help="folder for the .jsonl files and stats.json")
    for split, size in SPLIT_SIZES.items():
        parser.add_argument(f"--{split}-size", type=int, default=size)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    sizes = {split: getattr(args, f"{split}_size") for split in SPLIT_SIZES}
    splits = build_dataset(args.seed, sizes)
    for split, examples in splits.items():
        write_jsonl(f"{args.out}/{split}.jsonl", examples)
    stats = dataset_stats(splits, args.seed)
    with open(f"{args.out}/stats.json", "w") as handle:
        json.dump(stats, handle, indent=2)
        handle.write("\n")
    counts = ", ".join(f"{split}: {len(rows)}" for split, rows in splits.items())
    print(f"wrote {counts} examples to {args.out} in {time.perf_counter() - started:.1f} s")
    for first, second in OVERLAP_PAIRS:
        print(f"{first}/{second} overlap:", json.dumps(stats[f"{first}_{second}_overlap"]))


if __name__ == "__main__":
    main()
