"""Add a courtesy phrase after some requests of a built split, leaving every other byte of it as it was.

In the generated train split, whatever a request says after a new task's title is one of its details,
so a model tuned on it reads any words there as a field: "Set up a task to buy running shoes, please"
gets a due date nobody gave. This copy appends a courtesy phrase ("..., thanks") to some of the
requests a call answers (to some of every request with ``--every-request``, to those answered by
given tools with ``--tool``), with the same reference answer: trailing words that are not an
argument. The phrases are the train split's own (``COURTESY_PHRASES``, none ending a dev or test
request); each request that ends in a word or a closing quote takes one with probability ``rate``,
drawn from a random stream of its own keyed by the example's line, so the draws of the split stay
as they were.

``python -m agentic_tuning.data.courtesy --data data/train.jsonl --out runs/x.jsonl``
"""

from __future__ import annotations

import json
import random
import re

from .split_copy import copy_split_main

COURTESY_PHRASES = [", thanks", ", thank you", " - thanks!", ", cheers", " when you get a chance",
                    ", if you don't mind", " for me, thanks", ", much appreciated"]
_ENDS_IN_A_WORD = re.compile(r"[\w'\")]$")


def add_courtesy(examples: list[dict], rate: float = 0.25, *, calls_only: bool = True,
                 tools: set[str] | None = None) -> tuple[list[dict], int]:
    """A copy of ``examples`` where each user request answered by a tool call (every user message, without
    ``calls_only``; only those answered by a call to one of ``tools``, with it) takes a courtesy phrase with
    probability ``rate`` (requests ending in other punctuation, such as "?", keep theirs), and how many did."""
    copies, changed = [], 0
    for line, example in enumerate(examples):
        example = json.loads(json.dumps(example))
        rng = random.Random(f"courtesy-{line}")
        messages = example["messages"]
        for message, answer in zip(messages, messages[1:]):
            called = {call["function"]["name"] for call in answer.get("tool_calls") or []}
            if (message["role"] == "user" and (called or not calls_only) and (tools is None or called & tools)
                    and _ENDS_IN_A_WORD.search(message["content"])):
                if rng.random() < rate:
                    message["content"] += rng.choice(COURTESY_PHRASES)
                    changed += 1
        copies.append(example)
    return copies, changed


def main(argv=None) -> None:
    def add_arguments(parser):
        parser.add_argument("--rate", type=float, default=0.25)
        parser.add_argument("--every-request", action="store_true",
                            help="also requests answered without a call (chit-chat, clarifications, final answers)")
        parser.add_argument("--tool", action="append", help="only requests answered by a call to this tool (repeatable)")

    def change(examples, args):
        return add_courtesy(examples, args.rate, calls_only=not args.every_request,
                            tools=set(args.tool) if args.tool else None)

    copy_split_main(argv, __doc__, change, "requests given a courtesy phrase", add_arguments)


if __name__ == "__main__":
    main()
