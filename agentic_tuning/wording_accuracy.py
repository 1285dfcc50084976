"""Accuracy per held-out wording: which test phrasings the model has learned, and how lumpy the score is.

The test split asks each held-out template several times with different values. This groups the
scored cases of an evaluation results file by their category and templates (the ``templates``
field of each example), counts the fully correct cases per group, and says how many groups are
all right, all wrong or mixed. ``python -m agentic_tuning.wording_accuracy results/cpu_tuned.json``
prints the table; ``--against OTHER.json`` instead lists the groups whose count of fully correct
cases differs between the two runs (scored on the same conversations, whatever their tools say), to see which
wordings a change fixed and which it broke.

Because a model tends to get a wording right every time or never, the cases of one wording are not
independent draws, and the usual binomial standard error of the fully correct share understates
how much a score moves with the wordings asked. ``fully_correct_standard_error`` also gives the
standard error clustered by wording group, which counts that.
"""

from __future__ import annotations

import argparse
import functools
import json
import math
from pathlib import Path

from .conversations import read_jsonl
from .data.phrasings import wording_pool
from .data.vocabulary import CHIT_CHAT
from .paths import REPO_ROOT
from .provenance import describe_file


def template_text(template_id: str) -> str:
    """The wording behind a template id such as ``create/test/1`` or ``list/overdue/test/0``."""
    *path, split, index = template_id.split("/")
    intent, key = path[0], "/".join(path[1:]) or None
    if intent == "chit_chat":
        return CHIT_CHAT[split][int(index)][0]
    wording = wording_pool(intent, split, key)[int(index)]
    return wording[0] if isinstance(wording, tuple) else wording


def accuracy_by_wording(results: dict, examples: list[dict]) -> list[dict]:
    """One row per (category, wordings) group of the scored cases, most frequent first."""
    groups: dict[tuple, dict] = {}
    for case in results["cases"]:
        example = examples[case["index"]]
        key = (case["category"], tuple(example["templates"]))
        row = groups.setdefault(key, {
            "category": case["category"],
            "templates": list(example["templates"]),
            "wording": " + ".join(template_text(t) for t in example["templates"]),
            "n_cases": 0,
            "n_correct": 0,
        })
        row["n_cases"] += 1
        row["n_correct"] += case["failure_class"] == "correct"
    return sorted(groups.values(), key=lambda row: (-row["n_cases"], row["category"], row["wording"]))


def consistency(rows: list[dict], min_cases: int = 2) -> dict:
    """How many groups asked at least ``min_cases`` times are right every time, never, or sometimes."""
    repeated = [row for row in rows if row["n_cases"] >= min_cases]
    all_right = [row for row in repeated if row["n_correct"] == row["n_cases"]]
    all_wrong = [row for row in repeated if row["n_correct"] == 0]
    return {
        "groups": len(repeated),
        "all_right": len(all_right),
        "all_wrong": len(all_wrong),
        "mixed": len(repeated) - len(all_right) - len(all_wrong),
        "cases": sum(row["n_cases"] for row in repeated),
        "cases_in_all_or_nothing_groups": sum(row["n_cases"] for row in all_right + all_wrong),
    }


def fully_correct_standard_error(rows: list[dict]) -> dict:
    """The fully correct share of all cases and its standard error, with the cases taken as independent
    and clustered by wording group (the sandwich estimator: sqrt(G / (G - 1) * sum of (correct - share
    x cases)^2 over the G groups) / cases). One case per group gives about the binomial error."""
    cases = sum(row["n_cases"] for row in rows)
    share = sum(row["n_correct"] for row in rows) / cases
    spread = sum((row["n_correct"] - share * row["n_cases"]) ** 2 for row in rows)
    groups = len(rows)
    return {
        "cases": cases,
        "groups": groups,
        "share": share,
        "independent": math.sqrt(share * (1 - share) / cases),
        "clustered": math.sqrt(groups / (groups - 1) * spread) / cases if groups > 1 else float("nan"),
    }


def wording_changes(before: list[dict], after: list[dict]) -> list[dict]:
    """The groups whose fully correct count differs between two runs' rows, largest gain first."""
    before_by_group = {(row["category"], tuple(row["templates"])): row for row in before}
    changes = []
    for row in after:
        previous = before_by_group[(row["category"], tuple(row["templates"]))]
        if previous["n_correct"] != row["n_correct"]:
            changes.append({**row, "n_correct_before": previous["n_correct"],
                            "change": row["n_correct"] - previous["n_correct"]})
    return sorted(changes, key=lambda row: (-row["change"], row["category"], row["wording"]))


def load_scored_examples(results: dict) -> list[dict]:
    """The data file a results file was scored on, refusing one that changed since.

    A file is read and hashed once while it stays as it is on disk (same modification time and size), however many
    results files scored on it ask for it; the examples are shared between callers, who must not change them.
    """
    path = REPO_ROOT / results["data"]["path"]
    stat = path.stat()
    return list(_verified_examples(path, results["data"]["sha256"], stat.st_mtime_ns, stat.st_size))


def same_conversations(examples: list[dict], others: list[dict]) -> bool:
    """Whether two data files ask the same conversations, their tools aside (a split and its copy with the tools
    described otherwise, ``data.described_tools``)."""
    def without_tools(example: dict) -> dict:
        return {key: value for key, value in example.items() if key != "tools"}

    return list(map(without_tools, examples)) == list(map(without_tools, others))


@functools.lru_cache(maxsize=8)
def _verified_examples(path: Path, sha256: str, mtime_ns: int, size: int) -> tuple[dict, ...]:
    if describe_file(path)["sha256"] != sha256:
        raise ValueError(f"{path} changed since these results were written; re-run the evaluation")
    return tuple(read_jsonl(path))


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("results", help="an evaluation results JSON, e.g. results/cpu_tuned.json")
    parser.add_argument("--against", help="another run's results on the same data: list what changed from it")
    args = parser.parse_args(argv)
    results = json.loads(Path(args.results).read_text())
    examples = load_scored_examples(results)
    rows = accuracy_by_wording(results, examples)
    if args.against:
        other = json.loads(Path(args.against).read_text())
        if other["data"]["sha256"] != results["data"]["sha256"] and not same_conversations(
                load_scored_examples(other), examples):
            raise SystemExit("the two results files were scored on different data")
        changes = wording_changes(accuracy_by_wording(other, examples), rows)
        for row in changes:
            print(f"{row['n_correct_before']:>3} -> {row['n_correct']:<3} of {row['n_cases']:<3} "
                  f"{row['category']:<13} {row['wording']}")
        gained = sum(row["change"] for row in changes if row["change"] > 0)
        lost = -sum(row["change"] for row in changes if row["change"] < 0)
        print(f"\n{len(changes)} groups changed: {gained} cases gained, {lost} lost, against {args.against}.")
        return
    for row in rows:
        print(f"{row['n_correct']:>3}/{row['n_cases']:<3} {row['category']:<13} {row['wording']}")
    summary = consistency(rows)
    print(f"\n{summary['groups']} groups asked at least twice: {summary['all_right']} always right, "
          f"{summary['all_wrong']} always wrong, {summary['mixed']} mixed; "
          f"{summary['cases_in_all_or_nothing_groups']} of their {summary['cases']} cases are in all-or-nothing groups.")
    error = fully_correct_standard_error(rows)
    print(f"Fully correct: {error['share']:.1%} of {error['cases']} cases in {error['groups']} wording groups; "
          f"standard error {error['clustered']:.1%} clustered by wording ({error['independent']:.1%} "
          "if every case were an independent draw).")


if __name__ == "__main__":
    main()
