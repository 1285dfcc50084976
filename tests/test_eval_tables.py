"""eval_tables: results dicts as tables, on results produced by scripted generators."""

import json

import pytest

from agentic_tuning import eval_tables as et
from agentic_tuning import evaluate
from agentic_tuning.conversations import read_jsonl, reference_calls
from agentic_tuning.formats import openai_to_hermes
from agentic_tuning.generation import Generation
from agentic_tuning.paths import DATA_DIR


class ScriptedGenerator:
    def __init__(self, answer):
        self.answer = answer

    def generate_reference_turn(self, example):
        text = self.answer(example["messages"][-1])
        return Generation(text, prompt_tokens=10, generated_tokens=4, latency_s=0.5, reused_prefix_tokens=0)


def perfect(reference):
    return openai_to_hermes(reference) + "<|im_end|>"


def always_lists(reference):
    return '<tool_call>\n{"name": "list_tasks", "arguments": {"filter": "all"}}\n</tool_call><|im_end|>'


@pytest.fixture(scope="module")
def examples():
    return read_jsonl(DATA_DIR / "test.jsonl")[:40]


@pytest.fixture(scope="module")
def results(examples):
    return {name: evaluate.evaluate(ScriptedGenerator(answer), examples, progress=False)
            for name, answer in (("talks", lambda ref: "Sure, I will do that."), ("perfect", perfect),
                                 ("lists", always_lists))}


def test_sample_by_category_covers_every_category(examples):
    sample = et.sample_by_category(examples, 6)
    assert len(sample) == 6
    assert len({e["category"] for e in sample}) == min(6, len({e["category"] for e in examples}))
    assert len(et.sample_by_category(examples, 1000)) == len(examples)
    assert et.sample_by_category(examples, 6) == sample  # deterministic


def test_headline_and_groups(results):
    table = et.headline(results)
    assert list(table.columns) == ["talks", "perfect", "lists"]
    assert table.loc["tool_selection_accuracy", "perfect"] == 100.0
    assert table.loc["tool_selection_accuracy", "talks"] == 0.0
    assert table.loc["n_cases", "perfect"] == 40
    by_category = et.group_table(results["perfect"])
    assert by_category.index.name == "category" and by_category["n_cases"].sum() == 40
    by_tool = et.group_table(results["perfect"], "by_tool")
    assert "none" in by_tool.index and by_tool.index.name == "tool"
    change = et.compare_groups(results["talks"], results["perfect"])
    assert (change.loc["single", "change (points)"]) == 100.0


def test_confusion_frame_counts_every_single_call_case(results):
    frame = et.confusion_frame(results["lists"])
    single = sum(1 for c in results["lists"]["cases"] if c["n_reference_calls"] <= 1)
    assert frame.to_numpy().sum() == single
    assert frame.index[-1] == "none" and "list_tasks" in frame.columns
    assert (frame.drop(columns="list_tasks").to_numpy() == 0).all()
    ax = et.plot_confusion(results["lists"], title="lists")
    assert ax.get_title() == "lists"


def test_plot_argument_accuracy_draws_a_labelled_bar_per_argument():
    rows = [{"argument": "remind_at", "n_reference": 3, "n_called": 2, "n_matched": 1, "accuracy": 0.5, "n_unasked": 0},
            {"argument": "scope", "n_reference": 2, "n_called": 0, "n_matched": 0, "accuracy": None, "n_unasked": 0},
            {"argument": "priority", "n_reference": 1, "n_called": 1, "n_matched": 1, "accuracy": 1.0, "n_unasked": 4}]
    ax = et.plot_argument_accuracy(rows)
    assert [bar.get_width() for bar in ax.patches] == [50.0, 0, 100.0]
    assert [text.get_text() for text in ax.texts] == ["1/2 (asked 3)", "0/0 (asked 2)", "1/1 (asked 1, unasked 4)"]
    assert [label.get_text() for label in ax.get_yticklabels()] == ["remind_at", "scope", "priority"]


def test_latency_failures_and_wrong_cases(results):
    latency = et.latency_table(results)
    assert latency.loc["perfect", "p50 (s)"] == 0.5
    failures = et.failure_table(results)
    assert failures["perfect"].sum() == 40 and failures.loc["correct", "perfect"] == 40
    assert et.wrong_cases(results["perfect"]).empty
    wrong = et.wrong_cases(results["talks"])
    assert len(wrong) == results["talks"]["overall"]["n_tool_cases"]
    assert set(wrong["failure class"]) == {"no_tool_call"}
    assert len(et.wrong_cases(results["talks"], limit=3)) == 3


def test_describe_turn_and_clean_output():
    call = {"role": "assistant", "content": None, "tool_calls": [{"id": "c", "type": "function", "function": {
        "name": "create_task", "arguments": '{"title": "Review budget", "priority": "high"}'}}]}
    assert et.describe_turn(call) == 'create_task(title="Review budget", priority="high")'
    assert et.describe_turn({"role": "assistant", "content": "Which task?"}) == "Which task?"
    assert et.clean_output(" hi<|im_end|>") == "hi"


def test_target_gaps_are_computed_strictly_above_target(results):
    gaps = et.target_gaps(results)
    perfect = gaps.loc[("perfect", "tool_selection_accuracy")]
    assert perfect["met"] and perfect["more correct cases needed"] == 0
    talks = gaps.loc[("talks", "tool_selection_accuracy")]
    n = results["talks"]["overall"]["n_tool_cases"]
    assert not talks["met"] and talks["gap (points)"] == -95.0
    assert talks["more correct cases needed"] == int(0.95 * n) + 1
    fake = {"m": {"overall": {"n_tool_cases": 100, "n_no_tool_cases": 20, "tool_selection_accuracy": 0.95,
                              "json_validity": 1.0, "no_tool_accuracy": 0.5}}}
    row = et.target_gaps(fake).loc[("m", "tool_selection_accuracy")]
    assert not row["met"] and row["more correct cases needed"] == 1  # 95 % is not > 95 %
    no_tool = et.target_gaps(fake, {"no_tool_accuracy": 0.9}).loc[("m", "no_tool_accuracy")]
    assert (no_tool["cases"], no_tool["more correct cases needed"]) == (20, 9)  # 19 of 20 needed, 10 right
    [sentence] = et.describe_gaps(fake, {"no_tool_accuracy": 0.9})
    assert sentence.endswith("9 more of the 20 no-tool cases would have to be right.")


def test_describe_gaps_states_the_shortfall(results):
    sentences = et.describe_gaps({"talks": results["talks"], "perfect": results["perfect"]})
    assert len(sentences) == 4
    n = results["talks"]["overall"]["n_tool_cases"]
    assert sentences[0] == (f"talks: tool_selection_accuracy 0.0 % misses the target (> 95 %) by 95.0 points: "
                            f"{int(0.95 * n) + 1} more of the {n} tool cases would have to be right.")
    assert sentences[2] == "perfect: tool_selection_accuracy 100.0 % meets the target (> 95 %)."


def test_side_by_side_lines_up_the_models(results, examples):
    frame = et.side_by_side({"talks": results["talks"], "perfect": results["perfect"]})
    assert len(frame) == len(examples)
    assert list(frame.columns) == ["category", "request", "reference", "talks output", "talks: class",
                                   "perfect output", "perfect: class"]
    assert set(frame["perfect: class"]) == {"correct"}
    other = evaluate.evaluate(ScriptedGenerator(perfect), examples[:3], progress=False)
    with pytest.raises(ValueError, match="same cases"):
        et.side_by_side({"talks": results["talks"], "other": other})


def test_top_confusions_and_unrequested_destructive_calls(results, examples):
    top = et.top_confusions(results["lists"], n=3)
    assert list(top.columns) == ["reference", "predicted", "cases"] and len(top) == 3
    assert (top["predicted"] == "list_tasks").all() and top["cases"].is_monotonic_decreasing
    assert et.top_confusions(results["perfect"]).empty

    def deletes(reference):
        return '<tool_call>\n{"name": "delete_all_tasks", "arguments": {"scope": "all"}}\n</tool_call>'

    deleting = evaluate.evaluate(ScriptedGenerator(deletes), examples, progress=False)
    found = et.unrequested_destructive_calls(deleting)
    asked = [case for case in deleting["cases"]
             if {call["name"] for call in reference_calls(case["reference"])} & {"delete_task", "delete_all_tasks"}]
    assert len(found) == len(deleting["cases"]) - len(asked) > deleting["overall"]["n_no_tool_cases"] > 0
    assert list(found.columns) == ["category", "request", "reference", "output"]
    assert et.unrequested_destructive_calls(results["lists"]).empty
    assert et.unrequested_destructive_calls(results["perfect"]).empty

    per_run = et.unrequested_deletes_per_run({"perfect": results["perfect"], "deleting": deleting})
    assert list(per_run.index) == ["deleting", "perfect"], "most deletes first"
    assert per_run.loc["deleting"].tolist() == [len(found), len(deleting["cases"])]
    assert per_run.loc["perfect", "deletes where none was asked"] == 0


def test_runs_on_the_test_split_leave_out_ablations_scored_on_another_split(tmp_path):
    def write(folder, sha):
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "cpu_tuned.json").write_text(json.dumps({"data": {"sha256": sha}, "overall": {}}))

    write(tmp_path, "current")
    write(tmp_path / "experiments" / "same_split", "current")
    write(tmp_path / "experiments" / "older_split", "earlier")
    (tmp_path / "experiments" / "no_test_results").mkdir()
    assert list(et.runs_on_the_test_split(tmp_path)) == ["committed", "same_split"]
