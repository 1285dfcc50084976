"""Self-check for lab 06: the per-argument metric of the evaluator, written by the learner.

Three functions, checked against ``agentic_tuning.metrics`` on hand-made cases:

* ``token_f1(a, b) -> float``: lowercase, delete punctuation, split on whitespace, then the F1 of the
  two bags of tokens (repeated tokens count as often as they occur); 1.0 when both are empty;
* ``argument_matches(reference_value, predicted_value, kind) -> bool``: ``kind`` is ``"text"`` for
  free text (a match when token F1 >= 0.8, if both are strings) and ``"exact"`` for enums, ids
  and numbers (equal values); the library compares dates (kinds "date-phrase", "datetime-phrase")
  by the day they mean, and the cases here give both sides the same date string;
* ``argument_precision_recall(tool_name, reference_args, predicted_args, tools) -> (precision, recall)``
  for one call: a reference argument present in the prediction with a matching value is a true
  positive; precision = tp / number of predicted arguments, recall = tp / number of reference
  arguments; ``None`` when that number is 0. The kind of an argument is
  ``metrics.argument_kind(tool_name, key, tools)``; the cases here have no ``tags`` (which the
  library compares as sets).
"""

from __future__ import annotations

import math

from .. import metrics
from ..tools import load_tools

# (a, b, hint)
F1_CASES = [
    ("Review the Q4 budget", "Review the Q4 budget", "identical text has F1 1.0."),
    ("Review the Q4 budget", "review the q4 budget!", "lowercase and delete punctuation before splitting."),
    ("Review the Q4 budget", "Budget", "F1 = 2 * overlap / (len(a) + len(b)), here 2 * 1 / (4 + 1)."),
    ("call the dentist", "call the dentist about a filling",
     "F1 uses both lengths: precision over the predicted tokens, recall over the reference tokens."),
    ("the the budget", "the budget", "count repeated tokens as often as they occur (collections.Counter & Counter)."),
    ("", "", "two empty strings match perfectly: F1 1.0."),
    ("budget", "", "one empty string and one non-empty: F1 0.0 (and no ZeroDivisionError)."),
    ("Q4-budget review", "q4budget review", "punctuation is deleted, not replaced by a space: 'q4-budget' -> 'q4budget'."),
]

# (reference value, predicted value, kind, hint)
MATCH_CASES = [
    ("high", "high", "exact", "equal enum values match."),
    ("high", "High", "exact", "enums, ids and dates match exactly: 'High' is not 'high'."),
    ("task_12", "12", "exact", "an id must be the same string: '12' is not 'task_12'."),
    ("2026-12-04", "2026-12-04", "exact", "equal dates match."),
    ("2026-12-04", "2026-12-05", "exact", "a date one day off does not match."),
    (3, 3, "exact", "equal numbers match."),
    ("Review the Q4 budget", "review the Q4 budget.", "text", "free text matches at token F1 >= 0.8."),
    ("book the team offsite now", "book the team offsite today", "text",
     "F1 here is exactly 0.8: the threshold is >= 0.8, not > 0.8."),
    ("Review the Q4 budget", "Budget", "text", "F1 0.4 is below 0.8: no match."),
    ("Review the Q4 budget", 4, "text", "text only matches text: a number is not a match."),
]

DEFAULT_CALL = {"title": "Review the Q4 budget", "priority": "high", "due_date": "2026-12-04"}

# (tool, reference arguments, predicted arguments, hint)
PR_CASES = [
    ("create_task", DEFAULT_CALL, dict(DEFAULT_CALL), "all arguments right: precision 1.0, recall 1.0."),
    ("create_task", DEFAULT_CALL, {"title": "review the Q4 budget!", "priority": "high", "due_date": "2026-12-04"},
     "title is free text (kind 'text'): a near-identical title matches."),
    ("create_task", DEFAULT_CALL, {"title": "Budget", "priority": "high", "due_date": "2026-12-04"},
     "a wrong value counts against both precision and recall: 2 of 3 each."),
    ("create_task", DEFAULT_CALL, {"title": "Review the Q4 budget", "due_date": "2026-12-04"},
     "a missing argument lowers recall only: precision 2/2, recall 2/3."),
    ("create_task", DEFAULT_CALL, {**DEFAULT_CALL, "description": "numbers from finance"},
     "an extra argument lowers precision only: precision 3/4, recall 3/3."),
    ("create_task", DEFAULT_CALL, {"title": "Review the Q4 budget", "priority": "High", "due_date": "2026-12-04"},
     "priority is an enum (kind 'exact'): 'High' does not match 'high'."),
    ("update_task", {"task_id": "task_12", "status": "done"}, {"task_id": "12", "status": "done"},
     "task ids match exactly."),
    ("create_task", DEFAULT_CALL, {}, "no predicted arguments: precision is None (0/0), recall 0.0."),
    ("list_tasks", {}, {}, "no arguments on either side: precision None and recall None."),
    ("add_comment", {"task_id": "task_3", "text": "ask about the Tuesday slot"},
     {"task_id": "task_3", "text": "Ask about the Tuesday slot."}, "comment text is free text."),
]


def _same(got, expected) -> bool:
    if expected is None or got is None:
        return got is expected
    return math.isclose(got, expected, abs_tol=1e-9)


def check_token_f1(token_f1) -> None:
    """Compare the learner's ``token_f1`` with ``metrics.token_f1``."""
    for number, (a, b, hint) in enumerate(F1_CASES, start=1):
        expected, got = metrics.token_f1(a, b), token_f1(a, b)
        assert isinstance(got, (int, float)) and _same(got, expected), (
            f"case {number} of {len(F1_CASES)}: token_f1({a!r}, {b!r}) should be {expected:.4f}, got {got!r}.\n"
            f"Hint: {hint}")
    print(f"✅ token_f1 is correct on all {len(F1_CASES)} hand-made cases.")


def check_argument_matches(argument_matches) -> None:
    """Compare the learner's ``argument_matches`` with ``metrics.argument_matches``."""
    for number, (ref, pred, kind, hint) in enumerate(MATCH_CASES, start=1):
        expected, got = metrics.argument_matches(ref, pred, kind), argument_matches(ref, pred, kind)
        assert got is expected, (
            f"case {number} of {len(MATCH_CASES)}: argument_matches({ref!r}, {pred!r}, {kind!r}) should be "
            f"{expected}, got {got!r}.\nHint: {hint}")
    print(f"✅ argument_matches is correct on all {len(MATCH_CASES)} hand-made cases.")


def library_precision_recall(tool: str, reference: dict, predicted: dict, tools: list[dict]):
    """What ``metrics.score_case`` makes of one call against its reference, as (precision, recall)."""
    scores = metrics.score_case([{"name": tool, "arguments": reference}], [{"name": tool, "arguments": predicted}],
                                json_valid=True, strict_format=True, schema_valid=True, kind=metrics.VALID_KIND,
                                tools=tools)
    tp, fp, fn = scores["arg_tp"], scores["arg_fp"], scores["arg_fn"]
    return (tp / (tp + fp) if tp + fp else None), (tp / (tp + fn) if tp + fn else None)


def check_argument_precision_recall(argument_precision_recall, tools: list[dict] | None = None) -> None:
    """Compare the learner's per-call precision and recall with what ``metrics.score_case`` counts."""
    tools = load_tools() if tools is None else tools
    for number, (tool, reference, predicted, hint) in enumerate(PR_CASES, start=1):
        expected = library_precision_recall(tool, reference, predicted, tools)
        got = argument_precision_recall(tool, dict(reference), dict(predicted), tools)
        assert isinstance(got, tuple) and len(got) == 2, (
            f"case {number}: return a (precision, recall) tuple, not {got!r}.")
        assert _same(got[0], expected[0]) and _same(got[1], expected[1]), (
            f"case {number} of {len(PR_CASES)}: {tool} reference {reference}, predicted {predicted}: "
            f"expected (precision, recall) = {expected}, got {got}.\nHint: {hint}")
    print(f"✅ argument_precision_recall agrees with agentic_tuning.metrics on all {len(PR_CASES)} hand-made cases.")


__all__ = ["F1_CASES", "MATCH_CASES", "PR_CASES", "check_token_f1", "check_argument_matches",
           "check_argument_precision_recall", "library_precision_recall"]
