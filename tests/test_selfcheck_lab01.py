import json
import re

import pytest

from agentic_tuning.formats import parse_model_output
from agentic_tuning.conversations import reference_calls
from agentic_tuning.metrics import score_case
from agentic_tuning.selfcheck import lab01

BLOCK = re.compile(r"<tool_call>(.*?)</tool_call>", re.S)


def reference_classify(output_text, reference_message, tools):
    """The solution of solutions/01_lab_failure_classifier.ipynb."""
    text = output_text.replace("<|im_end|>", "").strip()
    blocks = re.findall(r"<tool_call>(.*?)</tool_call>", text, re.S)
    if not blocks:
        return "no_tool_call"
    try:
        predicted = [(call["name"], call["arguments"]) for call in map(json.loads, blocks)]
    except (json.JSONDecodeError, TypeError, KeyError):
        return "malformed_json"
    if re.sub(r"<tool_call>.*?</tool_call>", "", text, flags=re.S).strip():
        return "extra_prose"
    expected = [(c["function"]["name"], json.loads(c["function"]["arguments"])) for c in reference_message["tool_calls"]]
    if sorted(name for name, _ in predicted) != sorted(name for name, _ in expected):
        return "wrong_tool"
    as_text = lambda calls: sorted(json.dumps(call, sort_keys=True) for call in calls)
    return "correct" if as_text(predicted) == as_text(expected) else "wrong_arguments"


def test_the_reference_solution_passes(capsys, tools):
    lab01.check_classify(reference_classify, tools)
    assert "✅" in capsys.readouterr().out


def test_every_class_has_a_case():
    assert {expected for _, _, expected, _ in lab01.CASES} == set(lab01.LAB_CLASSES)


def test_comparing_argument_strings_is_rejected_with_a_hint(tools):
    def by_text(output_text, reference_message, tools):
        verdict = reference_classify(output_text, reference_message, tools)
        if verdict != "correct":
            return verdict
        wanted = [c["function"]["arguments"] for c in reference_message["tool_calls"]]
        got = [json.dumps(json.loads(b)["arguments"]) for b in BLOCK.findall(output_text)]
        return "correct" if got == wanted else "wrong_arguments"

    with pytest.raises(AssertionError, match="key order does not matter"):
        lab01.check_classify(by_text, tools)


def test_ignoring_prose_is_rejected(tools):
    def no_prose_check(output_text, reference_message, tools):
        only_blocks = "\n".join(m.group(0) for m in BLOCK.finditer(output_text))
        return reference_classify(only_blocks or output_text, reference_message, tools)

    with pytest.raises(AssertionError, match="extra_prose"):
        lab01.check_classify(no_prose_check, tools)


def test_an_unknown_label_is_rejected(tools):
    with pytest.raises(AssertionError, match="must return one of"):
        lab01.check_classify(lambda *args: "fine", tools)


# The library splits two lab classes further; everything else is the same label.
LIBRARY_TO_LAB = {"unknown_tool": "wrong_tool", "schema_violation": "wrong_arguments"}


@pytest.mark.parametrize("text, reference, expected, hint", lab01.CASES)
def test_the_cases_agree_with_the_library_taxonomy(text, reference, expected, hint, tools):
    parsed = parse_model_output(text, tools)
    scores = score_case(reference_calls(reference), parsed.calls, json_valid=parsed.json_valid,
                        strict_format=parsed.strict_format, schema_valid=True, kind=parsed.kind.value, tools=tools)
    assert LIBRARY_TO_LAB.get(scores["failure_class"], scores["failure_class"]) == expected
