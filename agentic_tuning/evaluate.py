"""Evaluate a model's tool calls on any file in the course's conversation format.

``python -m agentic_tuning.evaluate --model embedded --data data/test.jsonl --out results.json``

For every example the model sees all messages but the last, generates greedily, and its
output is parsed (``formats.parse_model_output``) and scored against the reference turn
(``metrics.score_case``). The results file holds the overall, per-category and per-tool
metrics, the tool confusion matrix, the failure taxonomy, latency, and every case with
the model's raw output.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
from collections import Counter
from pathlib import Path

from tqdm.auto import tqdm

from .conversations import read_jsonl, reference_calls
from .formats import parse_model_output
from .generation import ChatGenerator
from .provenance import cpu_description, describe_file, git_commit
from .metrics import aggregate, aggregate_by, confusion_matrix, latency_summary, score_case

HEADLINE_METRICS = (
    "json_validity", "strict_format_rate", "schema_validity", "tool_selection_accuracy",
    "argument_exact_match", "argument_f1", "no_tool_accuracy", "false_call_rate",
)


def evaluate_case(generator: ChatGenerator, example: dict) -> dict:
    """Generate the reference turn of one example and score it."""
    tools = example.get("tools")
    generation = generator.generate_reference_turn(example)
    parsed = parse_model_output(generation.text, tools)
    scores = score_case(
        reference_calls(example["messages"][-1]),
        parsed.calls,
        json_valid=parsed.json_valid,
        strict_format=parsed.strict_format,
        schema_valid=parsed.kind.value not in {"schema_violation", "unknown_tool"} and parsed.json_valid,
        kind=parsed.kind.value,
        tools=tools,
        today=dt.date.fromisoformat(example["today"]) if "today" in example else None,
    )
    return {
        "category": example.get("category", "unlabelled"),
        "request": next((m["content"] for m in reversed(example["messages"]) if m["role"] == "user"), ""),
        "reference": example["messages"][-1],
        "output": generation.text,
        "output_kind": parsed.kind.value,
        "parse_errors": parsed.errors,
        "latency_s": round(generation.latency_s, 4),
        "first_token_s": None if generation.first_token_s is None else round(generation.first_token_s, 4),
        "prompt_tokens": generation.prompt_tokens,
        "generated_tokens": generation.generated_tokens,
        **scores,
    }


def summarize(cases: list[dict]) -> dict:
    """Everything the results file reports, computed from the scored cases."""
    latencies = [c["latency_s"] for c in cases]
    return {
        "overall": aggregate(cases),
        "by_category": aggregate_by(cases, "category"),
        "by_tool": aggregate_by(cases, "reference_tool"),
        "confusion_matrix": confusion_matrix(cases),
        "output_kinds": dict(Counter(c["output_kind"] for c in cases).most_common()),
        "failure_classes": dict(Counter(c["failure_class"] for c in cases).most_common()),
        "latency_s": latency_summary(latencies),
        "generated_tokens": latency_summary([c["generated_tokens"] for c in cases]),
        "tokens_per_s": sum(c["generated_tokens"] for c in cases) / max(sum(latencies), 1e-9),
    }


def evaluate(generator: ChatGenerator, examples: list[dict], *, progress: bool = True) -> dict:
    cases = [
        {"index": i, **evaluate_case(generator, example)}
        for i, example in enumerate(tqdm(examples, desc="evaluating", disable=not progress))
    ]
    return {**summarize(cases), "cases": cases}


def format_table(results: dict) -> str:
    """The headline metrics, overall and per category, as a plain-text table."""
    groups = {"overall": results["overall"], **results["by_category"]}
    width = max(map(len, HEADLINE_METRICS))
    header = f"{'metric':<{width}}  " + "  ".join(f"{name[:13]:>13}" for name in groups)
    lines = [header, "-" * len(header)]
    for metric in (*HEADLINE_METRICS, "n_cases"):
        cells = []
        for group in groups.values():
            value = group[metric]
            cells.append(f"{'-':>13}" if value is None else f"{value:>13}" if metric == "n_cases" else f"{value:>13.1%}")
        lines.append(f"{metric:<{width}}  " + "  ".join(cells))
    latency = results["latency_s"]
    lines.append(f"latency p50 {latency['p50']:.2f} s, p95 {latency['p95']:.2f} s, "
                 f"{results['tokens_per_s']:.1f} generated tokens/s")
    return "\n".join(lines)


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", default="embedded", help="'embedded', a hub id, a model folder or a LoRA adapter folder")
    parser.add_argument("--data", required=True, help="JSONL file in the course's conversation format")
    parser.add_argument("--out", help="where to write the results JSON")
    parser.add_argument("--limit", type=int, help="evaluate only the first N examples")
    parser.add_argument("--max-new-tokens", type=int, default=128)
    parser.add_argument("--no-prefix-cache", action="store_true", help="recompute the tool-schema prefix per case")
    args = parser.parse_args(argv)

    import torch

    from .models import load_model

    examples = read_jsonl(args.data)[: args.limit]
    loaded = load_model(args.model, merge_adapter=True)
    generator = ChatGenerator(loaded.model, loaded.tokenizer, max_new_tokens=args.max_new_tokens,
                              reuse_prefix=not args.no_prefix_cache)
    results = {
        "model": args.model,
        "data": describe_file(args.data),
        "git_commit": git_commit(),
        "created": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "settings": {
            "max_new_tokens": args.max_new_tokens,
            "decoding": "greedy",
            "prefix_cache": not args.no_prefix_cache,
            "device": str(generator.device),
            "torch_threads": torch.get_num_threads(),
            "cpu": cpu_description(),
            "n_examples": len(examples),
        },
        **evaluate(generator, examples),
    }
    print(format_table(results))
    if args.out:
        Path(args.out).parent.mkdir(parents=True, exist_ok=True)
        Path(args.out).write_text(json.dumps(results, indent=1, ensure_ascii=False) + "\n")
        print(f"results written to {args.out}")
    return results


if __name__ == "__main__":
    main()
