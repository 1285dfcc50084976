"""Re-word some single-call requests of a built split, leaving every other byte of it as it was.

Adding wordings to a train pool and rebuilding the split changes how many random numbers each draw
takes, so the whole split is drawn afresh and a run trained on it differs from the committed run in
almost every example it sees. This module instead takes a split as built and new wordings for some
of its pools (``{"update_status/done": ["Flag {id} as finished", ...], "delete_all/all": [...]}``,
keyed by a template id's intent and key). Each single-call example asked in one of those pools takes
a new wording with probability new / (old + new), as if the new wordings had been appended to the
pool, chosen by a random stream of its own keyed by the example's line, and keeps its values, its
reference call and its place. The new wording gets the template id it would have if appended
(``update_status/done/train/9`` for the first new one after nine old ones).

``python -m agentic_tuning.data.reword NEW_WORDINGS.json --data data/train.jsonl --out runs/x.jsonl``
"""

from __future__ import annotations

import json
import random
import re

from .phrasings import wording_pool
from .scenarios import capitalize
from .split_copy import copy_split_main

_SLOT = re.compile(r"\{(\w+)\}")
_SLOT_PATTERNS = {"id": r"task(?:_| | #)\d+"}
"""Slots whose values have a known form (``Context.task_id``): matched by it, so "{id} {priority}" splits right."""


def template_slots(template: str, request: str) -> dict[str, str]:
    """The slot values that made ``request`` from ``template`` (the generator capitalised the first letter).

    Only an ``{id}`` may open a template: the generator capitalised it ("Task 64 is complete"), and every
    spoken id starts with "task", so its first letter is lowered back; any other opening slot is refused.
    """
    first = _SLOT.match(template)
    if first and first.group(1) != "id":
        raise ValueError(f"cannot restore the case of a request opening with {{{first.group(1)}}}: {template!r}")
    if re.search(r"\}\{", template):
        raise ValueError(f"adjacent slots cannot be told apart: {template!r}")
    pattern = "".join(f"(?P<{part}>{_SLOT_PATTERNS.get(part, '.+?')})" if index % 2 else re.escape(part)
                      for index, part in enumerate(_SLOT.split(template)))
    as_formatted = request if template[:1].isupper() else request[:1].lower() + request[1:]
    match = re.fullmatch(pattern, as_formatted)
    if match is None:
        raise ValueError(f"{request!r} was not made from {template!r}")
    return match.groupdict()


def single_call_pool(example: dict, split: str) -> tuple[str, int | None]:
    """The wording pool (``intent/key``) a single-call example's request was drawn from in ``split``, and its
    wording's place there; ``("", None)`` for any other example."""
    template_id = example["templates"][0] if example["category"] == "single" else ""
    pool, _, index = template_id.rpartition(f"/{split}/")
    return (pool, int(index)) if pool else ("", None)


def restate_request(example: dict, old_wording: str, new_wording: str, template_id: str) -> None:
    """Put ``example``'s request, made from ``old_wording``, in ``new_wording`` with the same slot values, first
    letter capitalised as the generator writes it, under ``template_id``."""
    user = next(message for message in example["messages"] if message["role"] == "user")
    user["content"] = capitalize(new_wording.format(**template_slots(old_wording, user["content"])))
    example["templates"] = [template_id]


def reword_split(examples: list[dict], new_wordings: dict[str, list[str]], split: str = "train") -> tuple[list[dict], int]:
    """A copy of ``examples`` with some single-call requests in the new wordings, and how many changed."""
    reworded, changed = [], 0
    for line, example in enumerate(examples):
        example = json.loads(json.dumps(example))
        pool, index = single_call_pool(example, split)
        if pool in new_wordings:
            intent, _, key = pool.partition("/")
            old = wording_pool(intent, split, key)
            new = new_wordings[pool]
            rng = random.Random(f"isolated-wording-{line}")
            if rng.random() < len(new) / (len(old) + len(new)):
                choice = rng.randrange(len(new))
                restate_request(example, old[index], new[choice], f"{pool}/{split}/{len(old) + choice}")
                changed += 1
        reworded.append(example)
    return reworded, changed


def main(argv=None) -> None:
    def add_arguments(parser):
        parser.add_argument("new_wordings", help='JSON: {"<intent>[/<key>]": ["new wording", ...]}')
        parser.add_argument("--split", default="train", help="the wording pool the data was drawn from")

    def change(examples, args):
        with open(args.new_wordings, encoding="utf-8") as handle:
            return reword_split(examples, json.load(handle), args.split)

    copy_split_main(argv, __doc__, change, "requests re-worded", add_arguments)


if __name__ == "__main__":
    main()
