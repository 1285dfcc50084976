"""Metrics on hand-made reference/prediction pairs with hand-computed answers."""

import datetime as dt
import json
import random
import statistics

import pytest

from agentic_tuning.metrics import (
    FAILURE_CLASSES,
    aggregate,
    aggregate_by,
    argument_kind,
    argument_matches,
    argument_outcomes,
    confusion_matrix,
    failure_class,
    latency_summary,
    normalize_tokens,
    score_case,
    token_f1,
)
from agentic_tuning.paths import TOOLS_PATH

TOOLS = json.loads(TOOLS_PATH.read_text(encoding="utf-8"))


def call(name, **arguments):
    return {"name": name, "arguments": arguments}


def score(reference, predicted, kind="valid_tool_calls", *, json_valid=True, strict_format=True, schema_valid=True,
          today=None):
    return score_case(
        reference, predicted, json_valid=json_valid, strict_format=strict_format,
        schema_valid=schema_valid, kind=kind, tools=TOOLS, today=today,
    )


MILK = call("create_task", title="Buy milk", due_date="2026-12-04")


# --- tokens and argument comparison ----------------------------------------------------------

def test_normalize_tokens():
    assert normalize_tokens("Buy milk, eggs & BREAD!") == ["buy", "milk", "eggs", "bread"]
    assert normalize_tokens("Don't  forget\tit.") == ["dont", "forget", "it"]
    assert normalize_tokens(" ... ") == []


@pytest.mark.parametrize("a, b, expected", [
    ("Buy milk", "buy milk!", 1.0),
    ("buy milk", "buy oat milk", 0.8),  # 2 * 2 / (2 + 3)
    ("buy milk", "purchase milk", 0.5),
    ("a a b", "a b b", 2 * 2 / 6),  # bags, not sets
    ("", "", 1.0),
    ("", "milk", 0.0),
    ("call mom", "email dad", 0.0),
])
def test_token_f1(a, b, expected):
    assert token_f1(a, b) == pytest.approx(expected)
    assert token_f1(b, a) == pytest.approx(expected)


@pytest.mark.parametrize("tool, arg, expected", [
    ("create_task", "title", "text"),
    ("create_task", "description", "text"),
    ("create_task", "due_date", "date-phrase"),  # format
    ("create_task", "priority", "exact"),  # enum
    ("create_task", "tags", "set"),
    ("list_tasks", "filter", "exact"),
    ("list_tasks", "tag", "text"),
    ("search_tasks", "query", "text"),
    ("add_comment", "text", "text"),
    ("update_task", "task_id", "exact"),
    ("update_task", "title", "text"),
    ("set_reminder", "remind_at", "datetime-phrase"),
    ("create_task", "no_such_arg", "exact"),
    ("no_such_tool", "title", "exact"),
])
def test_argument_kind(tool, arg, expected):
    assert argument_kind(tool, arg, TOOLS) == expected


@pytest.mark.parametrize("ref, pred, kind, expected", [
    ("2026-12-04", "2026-12-04", "exact", True),
    ("2026-12-04", "2026-12-05", "exact", False),  # off by one day
    ("2026-12-04T15:30", "2026-12-04T15:30", "exact", True),
    ("2026-12-04T15:30", "2026-12-04T03:30", "exact", False),
    ("high", "medium", "exact", False),
    ("high", "High", "exact", False),  # enums are not normalised
    ("task_12", "task_12", "exact", True),
    (3, 3.0, "exact", True),
    (True, 1, "exact", False),  # JSON true is not 1
    (["a", "b"], ["b", "a"], "exact", False),  # plain arrays keep order
    ("Submit the quarterly report", "submit quarterly report", "text", True),  # F1 = 6/7
    ("plan team offsite agenda", "plan the team offsite agenda details", "text", True),  # F1 = 0.8
    ("plan team offsite agenda", "plan offsite agenda for marketing", "text", False),  # F1 = 6/9
    ("Call mom", "Call dad", "text", False),
    ("5", 5, "text", False),  # wrong type falls back to exact
    (["work", "urgent"], ["Urgent", "work"], "set", True),
    (["work", "urgent"], ["work", "work", "urgent!"], "set", True),
    (["work", "urgent"], ["work"], "set", False),
    (["work"], "work", "set", False),
])
def test_argument_matches(ref, pred, kind, expected):
    assert argument_matches(ref, pred, kind) is expected


MONDAY = dt.date(2026, 11, 30)


@pytest.mark.parametrize("ref, pred, kind, expected", [
    ("Friday", "friday", "date-phrase", True),
    ("Friday", "by Friday", "date-phrase", True),
    ("Friday", "2026-12-04", "date-phrase", True),  # the same day, said differently
    ("Friday", "in 4 days", "date-phrase", True),
    ("Friday", "next Friday", "date-phrase", False),
    ("Friday", "someday", "date-phrase", False),  # does not resolve
    ("tomorrow at 9am", "tomorrow at 09:00", "datetime-phrase", True),
    ("tomorrow at 9am", "2026-12-01T09:00", "datetime-phrase", True),
    ("tomorrow at 9am", "tomorrow at 9pm", "datetime-phrase", False),
    ("tomorrow at 9am", "tomorrow", "datetime-phrase", False),
])
def test_date_phrases_match_when_they_resolve_to_the_same_day(ref, pred, kind, expected):
    assert argument_matches(ref, pred, kind, MONDAY) is expected


def test_date_phrases_without_a_today_compare_as_words():
    assert argument_matches("Friday", "by friday", "date-phrase")
    assert not argument_matches("Friday", "2026-12-04", "date-phrase")


# --- per-case scores -------------------------------------------------------------------------

def test_exact_call_is_correct():
    case = score([MILK], [call("create_task", title="buy milk.", due_date="2026-12-04")])
    assert case["is_tool_case"] and case["tool_selection_correct"] and case["exact_match"]
    assert (case["arg_tp"], case["arg_fp"], case["arg_fn"]) == (2, 0, 0)
    assert case["failure_class"] == "correct"
    assert case["no_tool_correct"] is None and case["false_call"] is None
    assert (case["json_valid"], case["strict_format"], case["schema_valid"]) == (True, True, True)
    assert (case["reference_tool"], case["predicted_tool"], case["n_reference_calls"]) == ("create_task", "create_task", 1)


def test_date_phrase_is_scored_by_the_day_it_means():
    reference = [call("create_task", title="Buy milk", due_date="Friday")]
    assert score(reference, [call("create_task", title="Buy milk", due_date="2026-12-04")], today=MONDAY)["exact_match"]
    assert not score(reference, [call("create_task", title="Buy milk", due_date="2026-12-05")], today=MONDAY)["exact_match"]


def test_off_by_one_date_is_wrong_arguments():
    case = score([MILK], [call("create_task", title="Buy milk", due_date="2026-12-05")])
    assert case["tool_selection_correct"] and not case["exact_match"]
    assert (case["arg_tp"], case["arg_fp"], case["arg_fn"]) == (1, 1, 1)
    assert case["failure_class"] == "wrong_arguments"


@pytest.mark.parametrize("title, exact", [
    ("Submit quarterly report", True),  # F1 6/7 against the reference below
    ("Quarterly report", False),  # F1 4/6
])
def test_title_paraphrase(title, exact):
    case = score([call("create_task", title="Submit the quarterly report")], [call("create_task", title=title)])
    assert case["exact_match"] is exact
    assert case["arg_tp"] == int(exact)


def test_enum_mismatch():
    ref = call("update_task", task_id="task_3", priority="high")
    case = score([ref], [call("update_task", task_id="task_3", priority="medium")])
    assert (case["exact_match"], case["failure_class"]) == (False, "wrong_arguments")
    assert (case["arg_tp"], case["arg_fp"], case["arg_fn"]) == (1, 1, 1)


def test_extra_and_missing_arguments_break_exact_match():
    extra = score([MILK], [call("create_task", title="Buy milk", due_date="2026-12-04", priority="low")])
    assert not extra["exact_match"] and (extra["arg_tp"], extra["arg_fp"], extra["arg_fn"]) == (2, 1, 0)
    missing = score([MILK], [call("create_task", title="Buy milk")])
    assert not missing["exact_match"] and (missing["arg_tp"], missing["arg_fp"], missing["arg_fn"]) == (1, 0, 1)


def test_tags_compare_as_sets():
    ref = call("create_task", title="Ship v2", tags=["work", "urgent"])
    assert score([ref], [call("create_task", title="Ship v2", tags=["Urgent", "work"])])["exact_match"]
    assert not score([ref], [call("create_task", title="Ship v2", tags=["work"])])["exact_match"]


def test_parallel_calls_in_swapped_order():
    ref = [call("update_task", task_id="task_1", status="done"), call("add_comment", task_id="task_1", text="Shipped")]
    case = score(ref, list(reversed(ref)))
    assert case["exact_match"] and case["tool_selection_correct"] and case["failure_class"] == "correct"
    same_tool = [call("create_task", title="Buy milk"), call("create_task", title="Call mom")]
    assert score(same_tool, list(reversed(same_tool)))["exact_match"]


def test_same_tool_calls_use_the_best_pairing():
    ref = [call("set_reminder", task_id="task_3", remind_at="2026-12-01T09:00"),
           call("set_reminder", task_id="task_4", remind_at="2026-12-02T09:00")]
    pred = [call("set_reminder", task_id="task_4", remind_at="2026-12-02T09:00"),
            call("set_reminder", task_id="task_3", remind_at="2026-12-01T10:00")]
    case = score(ref, pred)  # pairing in list order would give tp 0
    assert (case["arg_tp"], case["arg_fp"], case["arg_fn"]) == (3, 1, 1)
    assert case["tool_selection_correct"] and not case["exact_match"]


def _outcomes(reference, predicted):
    return {(r["tool"], r["argument"]): (r["called"], r["matched"])
            for r in argument_outcomes(reference, predicted, TOOLS)[0]}


def test_argument_outcomes_follow_the_best_pairing():
    ref = [call("set_reminder", task_id="task_3", remind_at="2026-12-01T09:00"),
           call("create_task", title="Buy milk", due_date="2026-12-04")]
    pred = [call("create_task", title="buy milk.", due_date="2026-12-05", priority="low"),
            call("set_reminder", task_id="task_3", remind_at="2026-12-01T09:00")]
    assert _outcomes(ref, pred) == {
        ("set_reminder", "task_id"): (True, True), ("set_reminder", "remind_at"): (True, True),
        ("create_task", "title"): (True, True), ("create_task", "due_date"): (True, False),
    }  # the extra priority is not a reference argument, so it has no row


def test_unasked_arguments_are_the_fields_a_paired_call_adds():
    ref = [call("set_reminder", task_id="task_3", remind_at="2026-12-01T09:00"),
           call("create_task", title="Buy milk", due_date="2026-12-04")]
    pred = [call("create_task", title="Buy milk", due_date="2026-12-05", priority="low", tags=["home"]),
            call("set_reminder", task_id="task_3", remind_at="2026-12-01T09:00"),
            call("delete_task", task_id="task_9")]
    assert sorted((r["tool"], r["argument"]) for r in argument_outcomes(ref, pred, TOOLS)[1]) == [
        ("create_task", "priority"), ("create_task", "tags")]  # a wrong value is not unasked; an unpaired call adds none
    assert argument_outcomes(ref, ref, TOOLS)[1] == []


def test_argument_outcomes_of_a_call_not_made_are_not_called():
    ref = [call("delete_task", task_id="task_1")]
    assert _outcomes(ref, [call("update_task", task_id="task_1", status="done")]) == {
        ("delete_task", "task_id"): (False, False)}
    assert _outcomes(ref, []) == {("delete_task", "task_id"): (False, False)}
    rows, _ = argument_outcomes([call("create_task", title="A"), call("create_task", title="B")],
                                [call("create_task", title="B")], TOOLS)
    assert sorted((r["called"], r["matched"]) for r in rows) == [(False, False), (True, True)]


def test_missing_call():
    ref = [call("update_task", task_id="task_1", status="done"), call("add_comment", task_id="task_1", text="Shipped")]
    case = score(ref, ref[:1])
    assert not case["tool_selection_correct"] and not case["exact_match"]
    assert (case["arg_tp"], case["arg_fp"], case["arg_fn"]) == (2, 0, 2)
    assert case["failure_class"] == "wrong_tool"


def test_extra_call():
    case = score([MILK], [MILK, call("delete_task", task_id="task_9")])
    assert not case["tool_selection_correct"] and not case["exact_match"]
    assert (case["arg_tp"], case["arg_fp"], case["arg_fn"]) == (2, 1, 0)
    assert (case["failure_class"], case["predicted_tool"]) == ("wrong_tool", "multiple")


def test_wrong_tool():
    case = score([call("delete_task", task_id="task_1")], [call("update_task", task_id="task_1", status="done")])
    assert not case["tool_selection_correct"]
    assert (case["arg_tp"], case["arg_fp"], case["arg_fn"]) == (0, 2, 1)
    assert case["failure_class"] == "wrong_tool"


def test_no_tool_case_without_a_call():
    case = score([], [], "no_tool_call", json_valid=False, strict_format=False, schema_valid=False)
    assert not case["is_tool_case"]
    assert (case["json_valid"], case["strict_format"], case["schema_valid"]) == (None, None, None)
    assert case["tool_selection_correct"] is True and case["exact_match"] is None
    assert (case["no_tool_correct"], case["false_call"], case["failure_class"]) == (True, False, "correct")
    assert (case["reference_tool"], case["predicted_tool"]) == ("none", "none")
    assert score([], [], "asks_confirmation", json_valid=False)["failure_class"] == "correct"


def test_no_tool_case_with_a_false_call():
    case = score([], [call("delete_all_tasks", scope="all")])
    assert case["json_valid"] is True and case["tool_selection_correct"] is False
    assert (case["no_tool_correct"], case["false_call"], case["failure_class"]) == (False, True, "false_call")
    assert (case["arg_tp"], case["arg_fp"], case["arg_fn"]) == (0, 1, 0)


def test_malformed_call_attempt_on_a_no_tool_case_is_a_false_call():
    case = score([], [], "malformed_json", json_valid=False, strict_format=False, schema_valid=False)
    assert case["json_valid"] is False
    assert (case["false_call"], case["failure_class"]) == (True, "false_call")


@pytest.mark.parametrize("kind, predicted, json_valid", [
    ("no_tool_call", [], False),
    ("asks_confirmation", [], False),
    ("malformed_json", [], False),
    ("truncated", [], False),
    ("extra_prose", [MILK], True),  # correct calls, but prose around them
    ("unknown_tool", [call("make_task", title="Buy milk")], True),
    ("schema_violation", [call("create_task", title="Buy milk", due_date=5)], True),
])
def test_parser_kind_decides_format_failures(kind, predicted, json_valid):
    case = score([MILK], predicted, kind, json_valid=json_valid, strict_format=False)
    assert case["failure_class"] == kind
    assert case["json_valid"] is json_valid and case["strict_format"] is False


def test_extra_prose_keeps_its_comparison_scores():
    case = score([MILK], [MILK], "extra_prose", strict_format=False)
    assert case["exact_match"] and case["tool_selection_correct"]
    assert case["failure_class"] == "extra_prose"


def test_no_call_on_a_tool_case_counts_every_reference_argument_missed():
    case = score([MILK], [], "no_tool_call", json_valid=False)
    assert case["tool_selection_correct"] is False and case["exact_match"] is False
    assert (case["arg_tp"], case["arg_fp"], case["arg_fn"]) == (0, 0, 2)


def test_failure_class_directly():
    common = {"made_call": True, "tool_selection_correct": True, "exact_match": True}
    assert failure_class("valid_tool_calls", is_tool_case=True, **common) == "correct"
    assert failure_class("valid_tool_calls", is_tool_case=True, **{**common, "exact_match": False}) == "wrong_arguments"
    assert failure_class("valid_tool_calls", is_tool_case=False, **common) == "false_call"
    assert failure_class("no_tool_call", is_tool_case=False, **{**common, "made_call": False}) == "correct"
    with pytest.raises(ValueError):
        failure_class("gibberish", is_tool_case=True, **common)
    assert set(FAILURE_CLASSES) == {
        "correct", "no_tool_call", "asks_confirmation", "malformed_json", "extra_prose", "truncated",
        "unknown_tool", "schema_violation", "wrong_tool", "wrong_arguments", "false_call",
    }


# --- aggregates ------------------------------------------------------------------------------

def _cases():
    """Four tool cases and two no-tool cases; expected aggregates are worked out in the tests."""
    done = call("update_task", task_id="task_2", status="done")
    cases = [
        score([MILK], [MILK]),  # A: correct, tp 2
        score([MILK], [call("create_task", title="Buy milk", due_date="2026-12-05")]),  # B: tp 1 fp 1 fn 1
        score([call("delete_task", task_id="task_1")], [], "no_tool_call",  # C: fn 1
              json_valid=False, strict_format=False, schema_valid=False),
        score([done], [done], "extra_prose", strict_format=False),  # D: tp 2
        score([], [], "no_tool_call", json_valid=False, strict_format=False, schema_valid=False),  # E
        score([], [call("delete_all_tasks", scope="all")]),  # F: false call, fp 1 (not in argument P/R)
    ]
    for case, category in zip(cases, ["create", "create", "delete", "update", "chat", "chat"]):
        case["category"] = category
    return cases


def test_aggregate_denominators():
    result = aggregate(_cases())
    assert (result["n_cases"], result["n_tool_cases"], result["n_no_tool_cases"]) == (6, 4, 2)
    assert result["json_validity"] == pytest.approx(3 / 4)
    assert result["strict_format_rate"] == pytest.approx(2 / 4)
    assert result["schema_validity"] == pytest.approx(3 / 4)
    assert result["tool_selection_accuracy"] == pytest.approx(3 / 4)
    assert result["argument_exact_match"] == pytest.approx(2 / 4)  # A, and D despite its extra prose
    assert result["argument_precision"] == pytest.approx(5 / 6)  # tp 5, fp 1
    assert result["argument_recall"] == pytest.approx(5 / 7)  # tp 5, fn 2
    assert result["argument_f1"] == pytest.approx(10 / 13)
    assert result["no_tool_accuracy"] == pytest.approx(1 / 2)
    assert result["false_call_rate"] == pytest.approx(1 / 2)
    assert result["failure_classes"] == {
        "correct": 2, "wrong_arguments": 1, "no_tool_call": 1, "extra_prose": 1, "false_call": 1,
    }


def test_aggregate_rates_are_none_without_a_denominator():
    empty = aggregate([])
    assert (empty["n_cases"], empty["n_tool_cases"], empty["n_no_tool_cases"]) == (0, 0, 0)
    rate_names = [k for k in empty if not k.startswith("n_") and k != "failure_classes"]
    assert len(rate_names) == 10 and all(empty[k] is None for k in rate_names)
    only_no_tool = aggregate(_cases()[4:])
    assert only_no_tool["json_validity"] is None and only_no_tool["argument_precision"] is None
    assert only_no_tool["no_tool_accuracy"] == pytest.approx(0.5)
    only_tool = aggregate(_cases()[:4])
    assert only_tool["no_tool_accuracy"] is None and only_tool["false_call_rate"] is None
    never_called = aggregate(_cases()[2:3])  # tp 0, fp 0, fn 1
    assert never_called["argument_precision"] is None
    assert never_called["argument_recall"] == 0.0 and never_called["argument_f1"] == 0.0


def test_aggregate_by_category_and_tool():
    by_category = aggregate_by(_cases(), "category")
    assert list(by_category) == ["chat", "create", "delete", "update"]
    assert by_category["create"]["n_cases"] == 2
    assert by_category["create"]["argument_exact_match"] == pytest.approx(0.5)
    assert by_category["chat"]["false_call_rate"] == pytest.approx(0.5)
    assert by_category["chat"]["tool_selection_accuracy"] is None
    by_tool = aggregate_by(_cases(), "reference_tool")
    assert {k: v["n_cases"] for k, v in by_tool.items()} == {
        "create_task": 2, "delete_task": 1, "none": 2, "update_task": 1,
    }


def test_confusion_matrix():
    cases = _cases() + [
        score([MILK, call("delete_task", task_id="task_1")], [MILK]),  # two reference calls: left out
        score([MILK], [MILK, MILK]),
    ]
    assert confusion_matrix(cases) == {
        "create_task": {"create_task": 2, "multiple": 1},
        "delete_task": {"none": 1},
        "update_task": {"update_task": 1},
        "none": {"none": 1, "delete_all_tasks": 1},
    }
    assert confusion_matrix([]) == {}


# --- latency ---------------------------------------------------------------------------------

def test_latency_summary_interpolates_linearly():
    assert latency_summary([4.0, 1.0, 3.0, 2.0]) == pytest.approx({"p50": 2.5, "p95": 3.85, "mean": 2.5})
    assert latency_summary([0.7]) == pytest.approx({"p50": 0.7, "p95": 0.7, "mean": 0.7})
    assert latency_summary([]) == {"p50": None, "p95": None, "mean": None}


def test_latency_summary_matches_statistics_inclusive_quantiles():
    rng = random.Random(5)
    for n in (2, 3, 10, 101):
        values = [rng.expovariate(2.0) for _ in range(n)]
        cuts = statistics.quantiles(values, n=100, method="inclusive")
        summary = latency_summary(values)
        assert summary["p50"] == pytest.approx(cuts[49])
        assert summary["p95"] == pytest.approx(cuts[94])
        assert summary["mean"] == pytest.approx(statistics.fmean(values))
