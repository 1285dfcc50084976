from agentic_tuning.diagnosis import (
    SEED_REQUESTS, class_examples, count_table, plot_failure_classes, run_size, same_outputs, seed_examples,
)
from agentic_tuning.conversations import reference_calls
from agentic_tuning.dates import parse_today_line
from agentic_tuning.formats import openai_to_hermes, parse_model_output
from agentic_tuning.metrics import FAILURE_CLASSES


def test_seed_examples_are_dataset_examples_with_the_readme_reference():
    examples = seed_examples()
    assert [e["messages"][1]["content"] for e in examples] == list(SEED_REQUESTS)
    system = examples[0]["messages"][0]["content"]
    assert str(parse_today_line(system)) == "2026-11-30"
    assert reference_calls(examples[0]["messages"][-1]) == [{"name": "create_task", "arguments": {
        "title": "Review the Q4 budget", "priority": "high", "due_date": "Friday"}}]
    assert [reference_calls(e["messages"][-1])[0]["name"] for e in examples] == ["create_task", "search_tasks", "list_tasks"]
    for example in examples:  # every reference is itself a valid, strict output
        parsed = parse_model_output(openai_to_hermes(example["messages"][-1]), example["tools"])
        assert parsed.kind.value == "valid_tool_calls" and parsed.strict_format


def _case(index, failure_class, output="text", kind="no_tool_call"):
    return {"index": index, "failure_class": failure_class, "output_kind": kind, "category": "single",
            "request": f"request {index}", "output": output,
            "reference": {"role": "assistant", "content": None, "tool_calls": [
                {"id": "call_0", "type": "function", "function": {"name": "list_tasks", "arguments": '{"filter": "all"}'}}]}}


def test_class_examples_take_the_first_case_of_each_class_in_taxonomy_order():
    cases = [_case(0, "wrong_tool"), _case(1, "no_tool_call", "x" * 500), _case(2, "no_tool_call")]
    rows = class_examples(cases, max_chars=100)
    assert [r["failure_class"] for r in rows] == [c for c in FAILURE_CLASSES if c in {"wrong_tool", "no_tool_call"}]
    first = next(r for r in rows if r["failure_class"] == "no_tool_call")
    assert first["request"] == "request 1" and len(first["output"]) == 100 and first["output"].endswith("…")
    assert first["reference"] == '<tool_call>\n{"name": "list_tasks", "arguments": {"filter": "all"}}\n</tool_call>'


RUNS = {
    "live": {"failure_classes": {"no_tool_call": 2}, "output_kinds": {"no_tool_call": 2}},
    "committed": {"failure_classes": {"no_tool_call": 5, "correct": 1},
                  "output_kinds": {"no_tool_call": 5, "valid_tool_calls": 1}},
}


def test_count_table_and_run_size():
    assert count_table(RUNS) == [{"class": "correct", "live": 0, "committed": 1},
                                 {"class": "no_tool_call", "live": 2, "committed": 5}]
    assert [r["class"] for r in count_table(RUNS, "output_kinds")] == ["valid_tool_calls", "no_tool_call"]
    assert run_size(RUNS["committed"]) == 6


def test_same_outputs_matches_by_index():
    assert same_outputs([_case(0, "x", "a"), _case(3, "x", "b")], [_case(0, "x", "a"), _case(3, "x", "c")]) == 1


def test_plot_labels_each_run_with_its_n():
    import matplotlib

    matplotlib.use("Agg")
    fig = plot_failure_classes(RUNS)
    labels = [t.get_text() for t in fig.legends[0].get_texts()]
    assert labels == ["live (n=2)", "committed (n=6)"]
