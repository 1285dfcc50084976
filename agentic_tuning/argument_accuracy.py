"""Accuracy per argument: which values the model extracts right once it has picked the right tool.

Argument exact match mixes two failures: calling the wrong tool, and calling the right one with
a wrong value. This re-parses every scored case of an evaluation results file
(``formats.parse_model_output``), pairs its calls with the reference calls as the evaluator does
(``metrics.argument_outcomes``), and counts, per argument name, how often the model
called the right tool and how often it then gave the reference value. A third failure is not a
wrong value: an argument the user never gave, added to a call of the right tool (an invented due
date); it counts per name as "unasked".
``python -m agentic_tuning.argument_accuracy results/cpu_tuned.json`` prints the table.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
from pathlib import Path

from .conversations import reference_calls
from .formats import parse_model_output
from .metrics import argument_outcomes
from .wording_accuracy import load_scored_examples


def case_argument_outcomes(case: dict, example: dict) -> tuple[list[dict], list[dict]]:
    """`metrics.argument_outcomes` for one scored case of a results file and its example."""
    tools = example.get("tools")
    predicted = parse_model_output(case["output"], tools).calls
    today = dt.date.fromisoformat(example["today"]) if "today" in example else None
    return argument_outcomes(reference_calls(case["reference"]), predicted, tools, today)


def accuracy_by_argument(results: dict, examples: list[dict]) -> list[dict]:
    """One row per argument name over the tool cases: how often it was asked, how often the model
    called the right tool for it, how often the value was right, and how often the model added it to a
    call of the right tool that the user never asked it in (``n_unasked``, and per tool in
    ``unasked_by_tool``); lowest ``accuracy`` first, where accuracy is right values over calls to the right tool
    (None when there were none)."""
    rows: dict[str, dict] = {}

    def row_for(outcome: dict) -> dict:
        row = rows.setdefault(outcome["argument"], {"argument": outcome["argument"], "tools": [], "n_reference": 0,
                                                    "n_called": 0, "n_matched": 0, "n_unasked": 0,
                                                    "unasked_by_tool": {}})
        if outcome["tool"] not in row["tools"]:
            row["tools"].append(outcome["tool"])
        return row

    for case in results["cases"]:
        outcomes, unasked = case_argument_outcomes(case, examples[case["index"]])
        for outcome in outcomes:
            row = row_for(outcome)
            row["n_reference"] += 1
            row["n_called"] += outcome["called"]
            row["n_matched"] += outcome["matched"]
        for outcome in unasked:
            row = row_for(outcome)
            row["n_unasked"] += 1
            row["unasked_by_tool"][outcome["tool"]] = row["unasked_by_tool"].get(outcome["tool"], 0) + 1
    for row in rows.values():
        row["tools"].sort()
        row["accuracy"] = row["n_matched"] / row["n_called"] if row["n_called"] else None
    return sorted(rows.values(), key=lambda row: (row["accuracy"] is None, row["accuracy"] or 0, row["argument"]))


def unasked_by_tool(rows: list[dict]) -> dict[str, int]:
    """Tool -> how many arguments the user never asked for were added to its calls, over ``accuracy_by_argument``'s
    rows; most first."""
    totals: dict[str, int] = {}
    for row in rows:
        for tool, count in row["unasked_by_tool"].items():
            totals[tool] = totals.get(tool, 0) + count
    return dict(sorted(totals.items(), key=lambda item: (-item[1], item[0])))


def tool_cases_asking_for(results: dict, arguments: set[str]) -> int:
    """How many tool cases have a reference call with one of ``arguments`` (e.g. the date ones)."""
    return sum(
        any(arguments & set(call["arguments"]) for call in reference_calls(case["reference"]))
        for case in results["cases"] if case["is_tool_case"]
    )


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("results", help="an evaluation results JSON, e.g. results/cpu_tuned.json")
    args = parser.parse_args(argv)
    results = json.loads(Path(args.results).read_text())
    print(f"{'argument':<12} {'asked':>5} {'right tool':>10} {'right value':>11} {'unasked':>7}  tools")
    rows = accuracy_by_argument(results, load_scored_examples(results))
    for row in rows:
        share = "–" if row["accuracy"] is None else f"{100 * row['accuracy']:.0f}%"
        print(f"{row['argument']:<12} {row['n_reference']:>5} {row['n_called']:>10} "
              f"{row['n_matched']:>5} ({share:>4}) {row['n_unasked']:>7}  {', '.join(row['tools'])}")
    by_tool = unasked_by_tool(rows)
    print("unasked by tool: " + (", ".join(f"{tool} {count}" for tool, count in by_tool.items()) or "none"))


if __name__ == "__main__":
    main()
