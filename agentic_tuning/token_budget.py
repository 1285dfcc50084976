"""Where the tokens of a training example go, and so where a CPU training minute goes.

Every example starts with the same tool-schema prefix, which the prefix-sharing trainer runs once
per optimizer step without gradients; everything after it (the rest of the system prompt, the
conversation) runs forward and backward for each example. This counts, per category and overall,
the mean tokens of that per-example part and how many of them carry loss, and how many of the
prefix's tokens are the tools' and arguments' descriptions: the most that terser descriptions of
the same tools could take off the pass that every optimizer step makes over the prefix.

``python -m agentic_tuning.token_budget --data data/train.jsonl --out results/token_budget.json``
"""

from __future__ import annotations

import argparse
import copy
import json
from pathlib import Path

from .chat_template import load_tokenizer, prepare_tokenizer, tokenize_for_training
from .conversations import read_jsonl
from .generation import shared_prefix_ids
from .paths import DATA_DIR, RESULTS_DIR
from .provenance import describe_file


def example_budget(tokenizer, example: dict, prefix_length: int) -> dict:
    """Tokens of one example after the shared prefix: all of them, and the trained ones."""
    row = tokenize_for_training(tokenizer, example["messages"], example.get("tools"))
    return {
        "per_example": len(row["input_ids"]) - prefix_length,
        "trained": sum(label != -100 for label in row["labels"]),
    }


def without_descriptions(tools: list[dict] | None) -> list[dict] | None:
    """A copy of ``tools`` without the ``description`` of any tool or argument (None stays None)."""
    tools = copy.deepcopy(tools)
    for tool in tools or []:
        tool["function"].pop("description", None)
        for argument in tool["function"].get("parameters", {}).get("properties", {}).values():
            argument.pop("description", None)
    return tools


def _means(rows: list[dict]) -> dict:
    means = {key: round(sum(row[key] for row in rows) / len(rows), 1) for key in rows[0]}
    return {"n_examples": len(rows), **means}


def token_budget(tokenizer, examples: list[dict]) -> dict:
    """Mean per-example token counts overall and per category, and the shared prefix's length."""
    tools = examples[0].get("tools")
    prefix_length = len(shared_prefix_ids(tokenizer, tools))
    rows = [(example.get("category", "unlabelled"), example_budget(tokenizer, example, prefix_length))
            for example in examples]
    categories = sorted({category for category, _ in rows})
    return {
        "shared_prefix_tokens": prefix_length,
        "shared_prefix_description_tokens": prefix_length - len(shared_prefix_ids(tokenizer, without_descriptions(tools))),
        "overall": _means([row for _, row in rows]),
        "by_category": {name: _means([row for category, row in rows if category == name]) for name in categories},
    }


def main(argv=None) -> dict:
    from .models import embedded_model_dir

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", default=str(DATA_DIR / "train.jsonl"))
    parser.add_argument("--out", default=str(RESULTS_DIR / "token_budget.json"))
    args = parser.parse_args(argv)
    tokenizer = prepare_tokenizer(load_tokenizer(str(embedded_model_dir())))
    budget = {"data": describe_file(Path(args.data)), "tokenizer": "embedded",
              **token_budget(tokenizer, read_jsonl(args.data))}
    Path(args.out).write_text(json.dumps(budget, indent=1) + "\n")
    overall = budget["overall"]
    print(f"{overall['n_examples']} examples: {budget['shared_prefix_tokens']} shared prefix tokens "
          f"({budget['shared_prefix_description_tokens']} of them descriptions), then "
          f"{overall['per_example']} per example, of which {overall['trained']} trained; written to {args.out}")
    return budget


if __name__ == "__main__":
    main()
