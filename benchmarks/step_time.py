"""Seconds per training example of the cpu recipe, against the same examples batched differently.

    .venv/bin/python benchmarks/step_time.py [--steps 8] [--examples 200] [--variants ID ...] [--rounds 1]

The committed recipe runs each optimizer step as one pass of the shared tool-schema prefix, then 4
micro-batches of one example each (no padding). More steps in the 20-minute budget need cheaper
examples, so this times a few steps of it with the real trainer (``training.trainer.train``, a fresh
LoRA each time) against the same examples packed into one padded micro-batch, and against 8
examples per step (the prefix pass shared by twice as many examples), and against the committed
batching with the prefix recomputed only every 4 steps (``prefix_refresh_steps``), and against the
committed batching run under bf16 autocast and/or with eager attention in the example passes
(``bf16_autocast``, ``example_attention``; bf16 pays only on CPUs with bf16 instructions, and
``cpu`` in the output says which this one has). It uses the first
``--examples`` of the shuffled train split and writes results/step_time.json. It measures time
only, not what a variant would learn.

The speed of a shared 2-core machine drifts by tens of percent within an hour, so to compare two
variants, time only those (``--variants``) over several ``--rounds``: each round times every chosen
variant once, odd rounds in reverse order, and a variant's ``seconds_per_step`` is then the median
of its rounds, the lower middle one for an even count (each round's value is kept in
``rounds_seconds_per_step``).
"""

import argparse
import datetime as dt
import platform
import random
import tempfile

import torch
from tqdm.auto import tqdm

from agentic_tuning.conversations import read_jsonl
from agentic_tuning.paths import DATA_DIR, RESULTS_DIR
from agentic_tuning.provenance import cpu_description, git_commit
from agentic_tuning.runtime_estimates import training_rate
from agentic_tuning.training.backends import load_for_training
from agentic_tuning.training.profiles import load_profile
from agentic_tuning.training.trainer import save_json, train

VARIANTS = {
    "committed": ("1 example x 4 micro-batches (committed)", {}),
    "padded": ("4 examples x 1 padded micro-batch", {"batch_size": 4, "gradient_accumulation_steps": 1}),
    "accumulate_8": ("1 example x 8 micro-batches", {"gradient_accumulation_steps": 8}),
    "prefix_every_4": ("1 example x 4 micro-batches, prefix every 4 steps", {"prefix_refresh_steps": 4}),
    "eager": ("1 example x 4 micro-batches, eager example attention", {"example_attention": "eager"}),
    "bf16": ("1 example x 4 micro-batches, bf16 autocast", {"bf16_autocast": True}),
    "bf16_eager": ("1 example x 4 micro-batches, bf16 autocast, eager example attention",
                   {"bf16_autocast": True, "example_attention": "eager"}),
}


def time_variant(overrides: dict, examples: list[dict], steps: int) -> dict:
    profile = load_profile("cpu").with_overrides(max_steps=steps, **overrides)
    model, tokenizer = load_for_training(profile, "peft")
    with tempfile.TemporaryDirectory() as scratch:
        log = train(model, tokenizer, examples, profile, scratch, "peft")
    per_example, _ = training_rate(log)
    return {
        "overrides": overrides,
        "examples_per_step": profile.examples_per_step,
        "steps": steps,
        "seconds_per_example": round(per_example, 3),
        "seconds_per_step": round(per_example * profile.examples_per_step, 2),
        "wall_time_s": log["wall_time_s"],
        "tokens_processed": log["tokens_processed"],
    }


def median_of_rounds(timings: list[dict]) -> dict:
    """The round with the median seconds per step, with every round's seconds per step beside it."""
    ranked = sorted(timings, key=lambda timing: timing["seconds_per_step"])
    return {**ranked[(len(ranked) - 1) // 2],
            "rounds_seconds_per_step": [timing["seconds_per_step"] for timing in timings]}


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--steps", type=int, default=8)
    parser.add_argument("--examples", type=int, default=200)
    parser.add_argument("--variants", nargs="+", choices=list(VARIANTS), default=list(VARIANTS))
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--out", default=str(RESULTS_DIR / "step_time.json"))
    args = parser.parse_args(argv)

    examples = read_jsonl(DATA_DIR / "train.jsonl")
    random.Random(load_profile("cpu").seed).shuffle(examples)
    examples = examples[: args.examples]
    rounds = {variant_id: [] for variant_id in args.variants}
    for round_index in tqdm(range(args.rounds), desc="rounds", disable=args.rounds == 1):
        order = args.variants if round_index % 2 == 0 else args.variants[::-1]
        for variant_id in order:
            rounds[variant_id].append(time_variant(VARIANTS[variant_id][1], examples, args.steps))
    variants = {VARIANTS[variant_id][0]: median_of_rounds(timings) for variant_id, timings in rounds.items()}
    for name, timing in variants.items():
        print(f"{name}: {timing['seconds_per_example']:.2f} s per example, {timing['seconds_per_step']:.1f} s per step")
    save_json(args.out, {
        "git_commit": git_commit(),
        "created": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "device": platform.processor() or "cpu",
        "cpu": cpu_description(),
        "torch_threads": torch.get_num_threads(),
        "n_examples": len(examples),
        "rounds": args.rounds,
        "variants": variants,
    })
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
