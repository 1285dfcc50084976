import json
import math

import pytest

from agentic_tuning import wording_accuracy as wa
from agentic_tuning.provenance import describe_file


def test_template_text_resolves_every_kind_of_id():
    assert wa.template_text("create/test/1") == "Set up a task to {title}{details}, please"
    assert wa.template_text("delete_all/completed/test/0") == "Purge my finished tasks"
    assert wa.template_text("clarify/test/0") == "Can you make a task?"
    assert wa.template_text("by_name/delete/test/0") == "Drop {ref}"
    assert wa.template_text("chit_chat/test/2") == "Thank you so much!"


def _case(index, category, failure_class):
    return {"index": index, "category": category, "failure_class": failure_class}


EXAMPLES = [
    {"templates": ["create/test/1"]},
    {"templates": ["create/test/1"]},
    {"templates": ["delete_all/completed/test/0"]},
    {"templates": ["delete_all/completed/test/0"]},
    {"templates": ["create/test/1", "delete/test/0"]},
    {"templates": ["create/test/0"]},
    {"templates": ["create/test/0"]},
]
RESULTS = {"cases": [
    _case(0, "single", "correct"), _case(1, "single", "correct"),
    _case(2, "single", "wrong_tool"), _case(3, "single", "wrong_tool"),
    _case(4, "parallel", "correct"),
    _case(5, "single", "correct"), _case(6, "single", "wrong_arguments"),
]}


def test_accuracy_by_wording_groups_cases_by_category_and_templates():
    rows = wa.accuracy_by_wording(RESULTS, EXAMPLES)
    by_wording = {(row["category"], row["wording"]): (row["n_correct"], row["n_cases"]) for row in rows}
    assert by_wording == {
        ("single", "Set up a task to {title}{details}, please"): (2, 2),
        ("single", "Purge my finished tasks"): (0, 2),
        ("single", "Track a new to-do for me: {title}{details}"): (1, 2),
        ("parallel", "Set up a task to {title}{details}, please + Drop {id}, I don't need it anymore"): (1, 1),
    }
    assert rows[-1]["category"] == "parallel", "most frequent groups first"


def test_consistency_counts_all_right_all_wrong_and_mixed_groups():
    summary = wa.consistency(wa.accuracy_by_wording(RESULTS, EXAMPLES))
    assert summary == {"groups": 3, "all_right": 1, "all_wrong": 1, "mixed": 1, "cases": 6,
                       "cases_in_all_or_nothing_groups": 4}


def test_fully_correct_standard_error_counts_the_wordings_as_clusters():
    error = wa.fully_correct_standard_error(wa.accuracy_by_wording(RESULTS, EXAMPLES))
    share = 4 / 7
    assert error["cases"] == 7 and error["groups"] == 4 and error["share"] == pytest.approx(share)
    assert error["independent"] == pytest.approx(math.sqrt(share * (1 - share) / 7))
    # groups 2/2, 0/2, 1/2 and 1/1: residuals 2 - 2p, -2p, 1 - 2p and 1 - p
    spread = (2 - 2 * share) ** 2 + (2 * share) ** 2 + (1 - 2 * share) ** 2 + (1 - share) ** 2
    assert error["clustered"] == pytest.approx(math.sqrt(4 / 3 * spread) / 7)
    assert error["clustered"] > error["independent"], "all-or-nothing groups widen the error"


def test_one_case_per_wording_gives_about_the_binomial_error():
    rows = [{"n_cases": 1, "n_correct": int(i % 4 != 0)} for i in range(200)]
    error = wa.fully_correct_standard_error(rows)
    assert error["clustered"] == pytest.approx(error["independent"], rel=0.01)


def test_wording_changes_lists_the_groups_a_run_fixed_and_broke():
    before = wa.accuracy_by_wording(RESULTS, EXAMPLES)
    after_results = {"cases": [dict(case) for case in RESULTS["cases"]]}
    after_results["cases"][2]["failure_class"] = "correct"
    after_results["cases"][3]["failure_class"] = "correct"
    after_results["cases"][4]["failure_class"] = "wrong_tool"
    changes = wa.wording_changes(before, wa.accuracy_by_wording(after_results, EXAMPLES))
    assert [(row["category"], row["wording"], row["n_correct_before"], row["n_correct"], row["change"])
            for row in changes] == [
        ("single", "Purge my finished tasks", 0, 2, 2),
        ("parallel", "Set up a task to {title}{details}, please + Drop {id}, I don't need it anymore", 1, 0, -1),
    ]
    assert wa.wording_changes(before, before) == []


def test_load_scored_examples_refuses_a_data_file_that_changed(tmp_path):
    data = tmp_path / "test.jsonl"
    data.write_text(json.dumps(EXAMPLES[0]) + "\n")
    results = {"data": describe_file(data)}
    assert wa.load_scored_examples(results) == [EXAMPLES[0]]
    data.write_text(json.dumps(EXAMPLES[2]) + "\n")
    with pytest.raises(ValueError, match="changed"):
        wa.load_scored_examples(results)


def test_load_scored_examples_hashes_an_unchanged_file_once(tmp_path, monkeypatch):
    data = tmp_path / "dev.jsonl"
    data.write_text(json.dumps(EXAMPLES[0]) + "\n")
    results = {"data": describe_file(data)}
    hashed = []
    monkeypatch.setattr(wa, "describe_file", lambda path: hashed.append(path) or describe_file(path))
    assert wa.load_scored_examples(results) == wa.load_scored_examples(results) == [EXAMPLES[0]]
    assert hashed == [data]
    data.write_text(json.dumps(EXAMPLES[0]) + "\n\n")
    with pytest.raises(ValueError, match="changed"):
        wa.load_scored_examples(results)
    assert hashed == [data, data]


def _write_run(path, data, failure_class):
    path.write_text(json.dumps({"data": describe_file(data), "cases": [_case(0, "single", failure_class)]}))
    return str(path)


def test_main_against_refuses_runs_scored_on_different_data(tmp_path):
    data_a, data_b = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    data_a.write_text(json.dumps(EXAMPLES[0]) + "\n")
    data_b.write_text(json.dumps(EXAMPLES[2]) + "\n")
    run_a = _write_run(tmp_path / "run_a.json", data_a, "correct")
    run_b = _write_run(tmp_path / "run_b.json", data_b, "wrong_tool")
    with pytest.raises(SystemExit, match="different data"):
        wa.main([run_a, "--against", run_b])


def test_main_against_compares_runs_on_the_same_conversations_with_other_tools(tmp_path, capsys):
    data_a, data_b = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    data_a.write_text(json.dumps(EXAMPLES[0]) + "\n")
    data_b.write_text(json.dumps({**EXAMPLES[0], "tools": [{"type": "function", "function": {"name": "other"}}]}) + "\n")
    run_a = _write_run(tmp_path / "run_a.json", data_a, "correct")
    run_b = _write_run(tmp_path / "run_b.json", data_b, "wrong_tool")
    wa.main([run_a, "--against", run_b])
    assert "1 groups changed: 1 cases gained, 0 lost" in capsys.readouterr().out


def test_main_against_prints_what_changed(tmp_path, capsys):
    data = tmp_path / "a.jsonl"
    data.write_text(json.dumps(EXAMPLES[0]) + "\n")
    run_a = _write_run(tmp_path / "run_a.json", data, "correct")
    run_b = _write_run(tmp_path / "run_b.json", data, "wrong_tool")
    wa.main([run_a, "--against", run_b])
    out = capsys.readouterr().out
    assert "0 -> 1   of 1   single        Set up a task to {title}{details}, please" in out
    assert "1 groups changed: 1 cases gained, 0 lost" in out
