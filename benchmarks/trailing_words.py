"""How often a model adds fields nobody gave to a new task when the request ends in a courtesy phrase.

    .venv/bin/python benchmarks/trailing_words.py --model adapters/smollm2-135m-tool-calling [--model ...]

In the generated train split whatever follows a new task's title is one of its details, and the
committed model adds a due date or a priority nobody gave more often than any other argument error
(the *unasked* column of ``python -m agentic_tuning.argument_accuracy``). This asks each model for new
tasks with a title only, in the create wordings of the train and dev pools, with the dev and test
splits' titles, each ending plain, in ", please" (a phrase that ends no train request) and in
", thanks" (one of ``data.courtesy.COURTESY_PHRASES``), and counts the answers that add a field
to the title-only reference call as ``metrics.argument_outcomes`` pairs them (the evaluator's
*unasked* arguments). It writes results/trailing_words.json, with every request and answer.
"""

import argparse
import datetime as dt
import itertools

from tqdm.auto import tqdm

from agentic_tuning.conversations import read_jsonl
from agentic_tuning.data.phrasings import wording_pool
from agentic_tuning.data.scenarios import capitalize
from agentic_tuning.data.vocabulary import TITLES
from agentic_tuning.formats import parse_model_output
from agentic_tuning.generation import ChatGenerator
from agentic_tuning.metrics import argument_outcomes
from agentic_tuning.models import load_model
from agentic_tuning.paths import DATA_DIR, RESULTS_DIR
from agentic_tuning.provenance import git_commit
from agentic_tuning.training.trainer import save_json

ENDINGS = ["", ", please", ", thanks"]
WORDINGS = [wording for split in ("train", "dev") for wording in wording_pool("create", split)[:2]]


def probe(model: str, titles: list[str]) -> dict:
    """Per ending and wording: requests asked, answers adding a field to the title-only call, and each answer."""
    loaded = load_model(model, merge_adapter=True)
    generator = ChatGenerator(loaded.model, loaded.tokenizer)
    example = read_jsonl(DATA_DIR / "dev.jsonl")[0]
    system, tools = example["messages"][0], example.get("tools")
    counts = {ending: {wording: {"asked": 0, "unasked_fields": 0, "answers": []} for wording in WORDINGS}
              for ending in ENDINGS}
    for ending, wording, title in tqdm(list(itertools.product(ENDINGS, WORDINGS, titles)), desc=model):
        request = wording.format(title=title, Title=capitalize(title), details="") + ending
        answer = generator.generate([system, {"role": "user", "content": request}], tools).text
        reference = [{"name": "create_task", "arguments": {"title": capitalize(title)}}]
        _, unasked = argument_outcomes(reference, parse_model_output(answer, tools).calls, tools)
        row = counts[ending][wording]
        row["asked"] += 1
        row["unasked_fields"] += bool(unasked)
        row["answers"].append({"request": request, "answer": answer, "unasked": sorted({u["argument"] for u in unasked})})
    return counts


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", action="append", required=True, help="a model or adapter folder (repeatable)")
    parser.add_argument("--titles", type=int, default=8, help="how many of the held-out titles to ask with")
    parser.add_argument("--out", default=str(RESULTS_DIR / "trailing_words.json"))
    args = parser.parse_args(argv)
    titles = TITLES["test"][: args.titles]
    models = {model: probe(model, titles) for model in args.model}
    for model, counts in models.items():
        for ending, by_wording in counts.items():
            asked = sum(row["asked"] for row in by_wording.values())
            added = sum(row["unasked_fields"] for row in by_wording.values())
            print(f"{model} | ending {ending!r:12}: {added} of {asked} new tasks with a field nobody gave")
    save_json(args.out, {"git_commit": git_commit(), "created": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
                         "titles": titles, "wordings": WORDINGS, "models": models})
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
