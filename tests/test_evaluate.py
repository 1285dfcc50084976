import json

import pytest

from agentic_tuning import evaluate
from agentic_tuning.conversations import read_jsonl
from agentic_tuning.formats import openai_to_hermes
from agentic_tuning.generation import Generation
from agentic_tuning.paths import DATA_DIR
from agentic_tuning.provenance import cpu_description


class ScriptedGenerator:
    """Stands in for a model: answers each example with a fixed function of its reference."""

    def __init__(self, answer):
        self.answer = answer

    def generate_reference_turn(self, example):
        text = self.answer(example["messages"][-1])
        return Generation(text, prompt_tokens=10, generated_tokens=len(text.split()), latency_s=0.5,
                          reused_prefix_tokens=0)


@pytest.fixture(scope="module")
def examples():
    return read_jsonl(DATA_DIR / "test.jsonl")[:40]


def test_a_model_that_answers_like_the_reference_scores_perfectly(examples):
    results = evaluate.evaluate(ScriptedGenerator(lambda ref: openai_to_hermes(ref) + "<|im_end|>"), examples,
                                progress=False)
    overall = results["overall"]
    for metric in ("json_validity", "strict_format_rate", "schema_validity", "tool_selection_accuracy",
                   "argument_exact_match", "argument_f1", "no_tool_accuracy"):
        assert overall[metric] == 1.0, metric
    assert overall["false_call_rate"] == 0.0
    assert results["failure_classes"] == {"correct": len(examples)}


def test_a_model_that_only_talks_fails_every_tool_case(examples):
    results = evaluate.evaluate(ScriptedGenerator(lambda ref: "Sure, I will do that for you."), examples,
                                progress=False)
    overall = results["overall"]
    assert overall["json_validity"] == 0.0 and overall["tool_selection_accuracy"] == 0.0
    assert overall["no_tool_accuracy"] == 1.0
    assert results["failure_classes"]["no_tool_call"] == overall["n_tool_cases"]
    assert results["latency_s"]["p50"] == 0.5


def test_extra_prose_is_valid_json_but_not_strict(examples):
    results = evaluate.evaluate(
        ScriptedGenerator(lambda ref: openai_to_hermes(ref) + "\nLet me know if you need more."), examples,
        progress=False)
    overall = results["overall"]
    assert overall["json_validity"] == 1.0 and overall["strict_format_rate"] == 0.0
    assert overall["tool_selection_accuracy"] == 1.0


def test_table_lists_every_headline_metric(examples):
    results = evaluate.evaluate(ScriptedGenerator(lambda ref: "ok"), examples[:5], progress=False)
    table = evaluate.format_table(results)
    for metric in evaluate.HEADLINE_METRICS:
        assert metric in table


@pytest.mark.model
def test_evaluator_end_to_end_on_the_embedded_model(tmp_path):
    out = tmp_path / "results.json"
    evaluate.main(["--model", "embedded", "--data", str(DATA_DIR / "test.jsonl"), "--limit", "3",
                   "--max-new-tokens", "24", "--out", str(out)])
    results = json.loads(out.read_text())
    assert results["settings"]["n_examples"] == 3 and len(results["cases"]) == 3
    assert results["settings"]["cpu"] == cpu_description()
    assert results["overall"]["n_cases"] == 3
    assert all(case["generated_tokens"] <= 24 and case["output"] for case in results["cases"])
    assert results["latency_s"]["p50"] > 0
