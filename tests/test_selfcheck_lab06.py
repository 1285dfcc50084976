"""The lab 06 self-check passes the reference solutions and rejects wrong ones with a hint."""

import json
import re
from collections import Counter

import pytest

from agentic_tuning.metrics import argument_kind
from agentic_tuning.selfcheck import lab06


# The solutions of solutions/06_lab_argument_metric.ipynb.
def token_f1(a, b):
    tokens_a = Counter(re.sub(r"[^\w\s]", "", a.lower()).split())
    tokens_b = Counter(re.sub(r"[^\w\s]", "", b.lower()).split())
    if not tokens_a and not tokens_b:
        return 1.0
    overlap = sum((tokens_a & tokens_b).values())
    return 2 * overlap / (sum(tokens_a.values()) + sum(tokens_b.values()))


def argument_matches(reference_value, predicted_value, kind):
    if kind == "text" and isinstance(reference_value, str) and isinstance(predicted_value, str):
        return token_f1(reference_value, predicted_value) >= 0.8
    return reference_value == predicted_value


def argument_precision_recall(tool_name, reference_args, predicted_args, tools):
    tp = sum(1 for key, value in reference_args.items()
             if key in predicted_args
             and argument_matches(value, predicted_args[key], argument_kind(tool_name, key, tools)))
    precision = tp / len(predicted_args) if predicted_args else None
    recall = tp / len(reference_args) if reference_args else None
    return precision, recall


def test_the_reference_solutions_pass(capsys, tools):
    lab06.check_token_f1(token_f1)
    lab06.check_argument_matches(argument_matches)
    lab06.check_argument_precision_recall(argument_precision_recall, tools)
    assert capsys.readouterr().out.count("✅") == 3


def test_set_based_f1_is_rejected():
    def set_f1(a, b):
        sa, sb = set(re.sub(r"[^\w\s]", "", a.lower()).split()), set(re.sub(r"[^\w\s]", "", b.lower()).split())
        return 1.0 if not sa and not sb else 2 * len(sa & sb) / (len(sa) + len(sb))

    with pytest.raises(AssertionError, match="Counter"):
        lab06.check_token_f1(set_f1)


def test_no_punctuation_removal_is_rejected():
    def keeps_punctuation(a, b):
        tokens_a, tokens_b = Counter(a.lower().split()), Counter(b.lower().split())
        if not tokens_a and not tokens_b:
            return 1.0
        return 2 * sum((tokens_a & tokens_b).values()) / (sum(tokens_a.values()) + sum(tokens_b.values()))

    with pytest.raises(AssertionError, match="punctuation"):
        lab06.check_token_f1(keeps_punctuation)


def test_strict_threshold_is_rejected():
    def strict(reference_value, predicted_value, kind):
        if kind == "text" and isinstance(reference_value, str) and isinstance(predicted_value, str):
            return token_f1(reference_value, predicted_value) > 0.8
        return reference_value == predicted_value

    with pytest.raises(AssertionError, match=">= 0.8"):
        lab06.check_argument_matches(strict)


def test_case_insensitive_enums_are_rejected():
    def lenient(reference_value, predicted_value, kind):
        if isinstance(reference_value, str) and isinstance(predicted_value, str):
            return token_f1(reference_value, predicted_value) >= 0.8
        return reference_value == predicted_value

    with pytest.raises(AssertionError, match="exactly"):
        lab06.check_argument_matches(lenient)


def test_zero_instead_of_none_is_rejected(tools):
    def zero_for_empty(tool_name, reference_args, predicted_args, tools):
        precision, recall = argument_precision_recall(tool_name, reference_args, predicted_args, tools)
        return (precision or 0.0), (recall or 0.0)

    with pytest.raises(AssertionError, match="None"):
        lab06.check_argument_precision_recall(zero_for_empty, tools)


def test_exact_match_for_text_is_rejected(tools):
    def exact_only(tool_name, reference_args, predicted_args, tools):
        tp = sum(1 for k, v in reference_args.items() if predicted_args.get(k) == v)
        return (tp / len(predicted_args) if predicted_args else None), (tp / len(reference_args) if reference_args else None)

    with pytest.raises(AssertionError, match="free text"):
        lab06.check_argument_precision_recall(exact_only, tools)


def test_the_cases_are_json_serialisable():
    json.dumps([lab06.F1_CASES, lab06.MATCH_CASES, lab06.PR_CASES])
