"""Score a predicted tool-call turn against a reference turn, and aggregate the scores.

Everything here works on plain data: a call is ``{"name": str, "arguments": dict}``; a reference
turn is a list of calls (empty for a plain-text, no-tool reply); the parser's verdict on the
prediction arrives as flags plus its output ``kind``.
"""

import datetime as dt
import itertools
import re
from collections import Counter

from .dates import DATE_ARGUMENT_RESOLVERS

VALID_KIND = "valid_tool_calls"
NO_CALL_KINDS = ("no_tool_call", "asks_confirmation")
FORMAT_FAILURE_KINDS = NO_CALL_KINDS + (
    "malformed_json", "extra_prose", "truncated", "unknown_tool", "schema_violation",
)
FAILURE_CLASSES = ("correct",) + FORMAT_FAILURE_KINDS + ("wrong_tool", "wrong_arguments", "false_call")
TEXT_F1_THRESHOLD = 0.8
_TOOL_CASE_RATES = {  # aggregate name -> per-case field, averaged over tool cases
    "json_validity": "json_valid",
    "strict_format_rate": "strict_format",
    "schema_validity": "schema_valid",
    "tool_selection_accuracy": "tool_selection_correct",
    "argument_exact_match": "exact_match",
}


def normalize_tokens(text: str) -> list[str]:
    """Lowercase, delete punctuation, split on whitespace."""
    return re.sub(r"[^\w\s]", "", text.lower()).split()


def token_f1(a: str, b: str) -> float:
    """Bag-of-tokens F1 between two strings after `normalize_tokens` (1.0 when both are empty)."""
    tokens_a, tokens_b = Counter(normalize_tokens(a)), Counter(normalize_tokens(b))
    if not tokens_a and not tokens_b:
        return 1.0
    overlap = sum((tokens_a & tokens_b).values())
    return 2 * overlap / (sum(tokens_a.values()) + sum(tokens_b.values()))


def argument_kind(tool_name: str, arg_name: str, tools: list[dict]) -> str:
    """How an argument is compared: "text" (free string), "set" (array of strings), a date
    phrase format ("date-phrase", "datetime-phrase") or "exact"."""
    schema = next((t["function"]["parameters"] for t in tools if t["function"]["name"] == tool_name), {})
    prop = schema.get("properties", {}).get(arg_name, {})
    if prop.get("format") in DATE_ARGUMENT_RESOLVERS:
        return prop["format"]
    if prop.get("type") == "string" and "enum" not in prop and "pattern" not in prop:
        return "text"
    if prop.get("type") == "array" and prop.get("items", {}).get("type") == "string":
        return "set"
    return "exact"


def _json_equal(a, b) -> bool:
    """Equality of JSON values that, unlike ``==``, keeps booleans apart from numbers."""
    if _is_number(a) and _is_number(b):
        return a == b
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_json_equal(x, y) for x, y in zip(a, b))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_json_equal(a[k], b[k]) for k in a)
    return type(a) is type(b) and a == b


def _is_number(x) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool)


def _resolved_date(value, kind: str, today: dt.date | None):
    """A date phrase as the executor would store it (None if it does not resolve), or the
    phrase lower-cased without a leading on/by when there is no ``today`` to resolve it from."""
    if today is None:
        return re.sub(r"^(?:on|by)\s+", "", " ".join(value.lower().split()))
    try:
        return DATE_ARGUMENT_RESOLVERS[kind](value, today)
    except ValueError:
        return None


def argument_matches(value_ref, value_pred, kind: str, today: dt.date | None = None) -> bool:
    """Whether a predicted argument value counts as the reference one under `argument_kind` `kind`.

    "text": token F1 >= 0.8; "set": equal as sets of normalised strings; "exact": JSON-equal;
    date phrases: both resolve, as of the example's ``today``, to the same date (or date-time).
    Values of the wrong type for their kind fall back to "exact".
    """
    if kind in DATE_ARGUMENT_RESOLVERS and isinstance(value_ref, str) and isinstance(value_pred, str):
        resolved = _resolved_date(value_pred, kind, today)
        return resolved is not None and resolved == _resolved_date(value_ref, kind, today)
    if kind == "text" and isinstance(value_ref, str) and isinstance(value_pred, str):
        return token_f1(value_ref, value_pred) >= TEXT_F1_THRESHOLD
    if kind == "set" and _is_string_list(value_ref) and _is_string_list(value_pred):
        return _normalized_set(value_ref) == _normalized_set(value_pred)
    return _json_equal(value_ref, value_pred)


def _is_string_list(x) -> bool:
    return isinstance(x, list) and all(isinstance(v, str) for v in x)


def _normalized_set(strings: list[str]) -> set[str]:
    return {" ".join(normalize_tokens(s)) for s in strings}


def _arguments(call: dict) -> dict:
    """A call's arguments; anything but a JSON object counts as no arguments."""
    arguments = call.get("arguments")
    return arguments if isinstance(arguments, dict) else {}


def _argument_counts(ref: dict, pred: dict, tools, today=None) -> tuple[int, int, int]:
    """(tp, fp, fn) over the arguments of two calls to the same tool."""
    args_ref, args_pred = _arguments(ref), _arguments(pred)
    tp = sum(
        key in args_pred and argument_matches(value, args_pred[key], argument_kind(ref["name"], key, tools), today)
        for key, value in args_ref.items()
    )
    return tp, len(args_pred) - tp, len(args_ref) - tp


def _pairings(n_ref: int, n_pred: int) -> list[list[tuple[int, int]]]:
    """Every maximal one-to-one pairing of reference indices with predicted indices."""
    if n_ref <= n_pred:
        return [list(zip(range(n_ref), perm)) for perm in itertools.permutations(range(n_pred), n_ref)]
    return [list(zip(perm, range(n_pred))) for perm in itertools.permutations(range(n_ref), n_pred)]


def _best_pairing(reference_calls, predicted_calls, tools, today=None) -> tuple[list, list, list]:
    """Pair same-name calls to maximise argument tp, then minimise fp + fn (brute force: calls are few).

    Returns ((reference call, predicted call) pairs, unpaired reference calls, unpaired predicted calls).
    """
    pairs, unpaired_ref, unpaired_pred = [], [], []
    for name in sorted({c["name"] for c in reference_calls + predicted_calls}):
        refs = [c for c in reference_calls if c["name"] == name]
        preds = [c for c in predicted_calls if c["name"] == name]
        counts = {(i, j): _argument_counts(r, p, tools, today) for i, r in enumerate(refs) for j, p in enumerate(preds)}

        def quality(pairing):
            chosen = [counts[pair] for pair in pairing]
            return sum(tp for tp, _, _ in chosen), -sum(fp + fn for _, fp, fn in chosen)

        best = max(_pairings(len(refs), len(preds)), key=quality)
        pairs += [(refs[i], preds[j]) for i, j in best]
        unpaired_ref += [r for i, r in enumerate(refs) if i not in {i for i, _ in best}]
        unpaired_pred += [p for j, p in enumerate(preds) if j not in {j for _, j in best}]
    return pairs, unpaired_ref, unpaired_pred


def argument_outcomes(reference_calls, predicted_calls, tools, today=None) -> tuple[list[dict], list[dict]]:
    """The arguments of a prediction against its reference, with calls paired as in `score_case` (once, for both):

    - one row per argument of every reference call: its tool and name, whether the prediction made a call to
      that tool, and whether that call's value matches;
    - one row (tool, argument name) per argument a predicted call carries that its paired reference call does
      not: a field the user never gave, such as an invented due date (*unasked*).
    """
    pairs, unpaired_ref, _ = _best_pairing(reference_calls, predicted_calls, tools, today)
    rows = []
    for ref, pred in pairs + [(ref, None) for ref in unpaired_ref]:
        predicted = _arguments(pred) if pred is not None else {}
        for key, value in _arguments(ref).items():
            kind = argument_kind(ref["name"], key, tools)
            rows.append({
                "tool": ref["name"],
                "argument": key,
                "called": pred is not None,
                "matched": key in predicted and argument_matches(value, predicted[key], kind, today),
            })
    unasked = [{"tool": ref["name"], "argument": key}
               for ref, pred in pairs for key in _arguments(pred) if key not in _arguments(ref)]
    return rows, unasked


def failure_class(kind: str, *, is_tool_case: bool, made_call: bool, tool_selection_correct: bool,
                  exact_match: bool | None) -> str:
    """One label from FAILURE_CLASSES: parser format failures first, then comparison with the reference.

    On a no-tool case any call attempt, however malformed, is a "false_call".
    """
    if kind != VALID_KIND and kind not in FORMAT_FAILURE_KINDS:
        raise ValueError(f"unknown parser kind {kind!r}")
    if not is_tool_case:
        return "false_call" if made_call else "correct"
    if kind != VALID_KIND:
        return kind
    if not tool_selection_correct:
        return "wrong_tool"
    return "correct" if exact_match else "wrong_arguments"


def _predicted_tool(calls: list[dict]) -> str:
    if not calls:
        return "none"
    return calls[0]["name"] if len(calls) == 1 else "multiple"


def score_case(
    reference_calls, predicted_calls, *, json_valid, strict_format, schema_valid, kind, tools, today=None
) -> dict:
    """Per-case scores of one predicted turn against its reference turn.

    The three format flags are None on a no-tool case where the model made no call; exact_match
    is None on no-tool cases; no_tool_correct and false_call are None on tool cases. A case's tool
    (reference_tool) is its first reference call's name or "none". Argument tp/fp/fn come
    from the best same-name pairing: a matching value is a tp; a reference argument missing or
    mismatched in the prediction is a fn; a predicted argument absent or mismatched is a fp.
    """
    is_tool_case = bool(reference_calls)
    made_call = bool(predicted_calls) or kind not in NO_CALL_KINDS
    paired, unpaired_ref, unpaired_pred = _best_pairing(reference_calls, predicted_calls, tools, today)
    pairs = [_argument_counts(ref, pred, tools, today) for ref, pred in paired]
    exact_match = (
        not unpaired_ref and not unpaired_pred and all(fp == fn == 0 for _, fp, fn in pairs)
        if is_tool_case else None
    )
    if is_tool_case:
        selection = Counter(c["name"] for c in reference_calls) == Counter(c["name"] for c in predicted_calls)
    else:
        selection = not made_call
    format_flags = (json_valid, strict_format, schema_valid) if is_tool_case or made_call else (None,) * 3
    return {
        "is_tool_case": is_tool_case,
        "json_valid": format_flags[0],
        "strict_format": format_flags[1],
        "schema_valid": format_flags[2],
        "tool_selection_correct": selection,
        "exact_match": exact_match,
        "arg_tp": sum(tp for tp, _, _ in pairs),
        "arg_fp": sum(fp for _, fp, _ in pairs) + sum(len(_arguments(c)) for c in unpaired_pred),
        "arg_fn": sum(fn for _, _, fn in pairs) + sum(len(_arguments(c)) for c in unpaired_ref),
        "no_tool_correct": None if is_tool_case else not made_call,
        "false_call": None if is_tool_case else made_call,
        "failure_class": failure_class(
            kind, is_tool_case=is_tool_case, made_call=made_call,
            tool_selection_correct=selection, exact_match=exact_match,
        ),
        "reference_tool": reference_calls[0]["name"] if reference_calls else "none",
        "predicted_tool": _predicted_tool(predicted_calls),
        "n_reference_calls": len(reference_calls),
    }


def _rate(values) -> float | None:
    values = list(values)
    return sum(map(bool, values)) / len(values) if values else None


def aggregate(cases: list[dict]) -> dict:
    """Rates over the right denominators; None where the denominator is 0.

    Format, selection, exact-match and argument P/R/F1 (micro, from summed tp/fp/fn) are over
    tool cases; no_tool_accuracy and false_call_rate are over no-tool cases.
    """
    tool_cases = [c for c in cases if c["is_tool_case"]]
    no_tool_cases = [c for c in cases if not c["is_tool_case"]]
    tp, fp, fn = (sum(c[f"arg_{k}"] for c in tool_cases) for k in ("tp", "fp", "fn"))
    result = {"n_cases": len(cases), "n_tool_cases": len(tool_cases), "n_no_tool_cases": len(no_tool_cases)}
    result.update({name: _rate(c[field] for c in tool_cases) for name, field in _TOOL_CASE_RATES.items()})
    result.update({
        "argument_precision": tp / (tp + fp) if tp + fp else None,
        "argument_recall": tp / (tp + fn) if tp + fn else None,
        "argument_f1": 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else None,
        "no_tool_accuracy": _rate(c["no_tool_correct"] for c in no_tool_cases),
        "false_call_rate": _rate(c["false_call"] for c in no_tool_cases),
        "failure_classes": dict(Counter(c["failure_class"] for c in cases)),
    })
    return result


def aggregate_by(cases: list[dict], key: str) -> dict[str, dict]:
    """`aggregate` per value of field `key` (e.g. "category", or "reference_tool" for per tool)."""
    groups: dict[str, list[dict]] = {}
    for case in cases:
        groups.setdefault(case[key], []).append(case)
    return {value: aggregate(group) for value, group in sorted(groups.items())}


def confusion_matrix(cases: list[dict]) -> dict[str, dict[str, int]]:
    """reference tool -> predicted tool -> count, over cases with at most one reference call.

    Rows include "none" (no-tool cases); columns use "none" for no call and "multiple" for >1 calls.
    """
    matrix: dict[str, dict[str, int]] = {}
    for case in cases:
        if case["n_reference_calls"] <= 1:
            row = matrix.setdefault(case["reference_tool"], {})
            row[case["predicted_tool"]] = row.get(case["predicted_tool"], 0) + 1
    return matrix


def _percentile(sorted_values: list[float], q: float) -> float:
    """Linear interpolation between closest ranks (numpy's default "linear" method)."""
    position = q * (len(sorted_values) - 1)
    low = int(position)
    high = min(low + 1, len(sorted_values) - 1)
    return sorted_values[low] + (sorted_values[high] - sorted_values[low]) * (position - low)


def latency_summary(latencies_s: list[float]) -> dict:
    """p50, p95 (linear interpolation, as numpy.percentile's default) and mean; all None when empty."""
    if not latencies_s:
        return {"p50": None, "p95": None, "mean": None}
    values = sorted(latencies_s)
    mean = sum(values) / len(values)
    return {"p50": _percentile(values, 0.50), "p95": _percentile(values, 0.95), "mean": mean}
