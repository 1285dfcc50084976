"""Choose the examples a short run sees with more single calls of chosen tools.

The generator draws a single call's tool uniformly from the nine tools, so a run that sees 880 of the train
split's 3,000 conversations sees about 37 single calls of each, `create_task` among them. Yet `create_task` is
the tool with the most optional fields, and the one whose arguments the committed run gets wrong most: on
test, 13 of its 17 single calls (the three wordings that ask for one in `python -m
agentic_tuning.wording_accuracy results/cpu_tuned.json`), mostly with a field the user never gave (the
*unasked* column of `python -m agentic_tuning.argument_accuracy results/cpu_tuned.json`). This module draws N examples with the split's own
mix of categories (``even_wordings.category_counts``), shares the single calls out among the tools by weight
(``--weight create_task=3``: three times as many as each other tool) and draws every other category
uniformly. A run over the copy with as many examples as it sees goes through each of them once. Round
``train_create_singles_3x`` of docs/experiments.md trained on such a copy; not adopted.

``python -m agentic_tuning.data.single_call_tools --examples 880 --weight create_task=3 --out runs/x.jsonl``
"""

from __future__ import annotations

import random
from collections import Counter

from .even_wordings import apportion, category_counts
from .split_copy import copy_split_main


def single_call_tool(example: dict) -> str:
    """The tool a single-call example calls."""
    return example["messages"][-1]["tool_calls"][0]["function"]["name"]


def select_with_tool_weights(examples: list[dict], n: int, weights: dict[str, float], seed: int = 0) -> list[dict]:
    """``n`` of ``examples`` with their categories in proportion; the single calls shared out among their tools
    in proportion to ``weights`` (1 for a tool not named), every pool drawn without repeats; returned shuffled."""
    if not 0 < n <= len(examples):
        raise ValueError(f"choose between 1 and {len(examples)} examples, not {n}")
    singles = [example for example in examples if example["category"] == "single"]
    tools = sorted({single_call_tool(example) for example in singles})
    unknown = set(weights) - set(tools)
    if unknown:
        raise ValueError(f"no single calls of {sorted(unknown)} in the split; its tools are {tools}")
    rng = random.Random(seed)
    chosen = []
    for category, count in category_counts(examples, n).items():
        if category != "single":
            chosen += rng.sample([example for example in examples if example["category"] == category], count)
            continue
        for tool, tool_count in apportion({tool: weights.get(tool, 1.0) for tool in tools}, count).items():
            pool = [example for example in singles if single_call_tool(example) == tool]
            if tool_count > len(pool):
                raise ValueError(f"{tool_count} single calls of {tool} asked for, and the split has {len(pool)}")
            chosen += rng.sample(pool, tool_count)
    rng.shuffle(chosen)
    return chosen


def single_calls_by_tool(chosen: list[dict]) -> dict[str, int]:
    return dict(sorted(Counter(single_call_tool(example) for example in chosen
                               if example["category"] == "single").items()))


def parse_weight(text: str) -> tuple[str, float]:
    tool, _, weight = text.partition("=")
    if not weight or float(weight) <= 0:
        raise ValueError(f"a weight is TOOL=NUMBER above 0, not {text!r}")
    return tool, float(weight)


def main(argv=None) -> None:
    def change(examples, args):
        weights = dict(parse_weight(text) for text in args.weight)
        chosen = select_with_tool_weights(examples, args.examples, weights, args.seed)
        uniform = random.Random(args.seed).sample(examples, args.examples)
        by_tool = single_calls_by_tool(chosen)
        print(f"single calls by tool: {by_tool}; in a uniform draw of as many "
              f"(random.Random({args.seed}).sample): {single_calls_by_tool(uniform)}")
        return chosen, sum(by_tool.values())

    def add_arguments(parser):
        parser.add_argument("--examples", type=int, required=True, help="how many examples to keep")
        parser.add_argument("--weight", action="append", default=[], metavar="TOOL=NUMBER",
                            help="a tool's weight among the single calls (1 for a tool not named); repeatable")
        parser.add_argument("--seed", type=int, default=0)

    copy_split_main(argv, __doc__, change, "single calls", add_arguments)


if __name__ == "__main__":
    main()
