import re

import pytest

from agentic_tuning.selfcheck import lab04

ASSISTANT = re.compile(r"<\|im_start\|>assistant\n(.*?<\|im_end\|>)", re.S)


def reference_build_labels(text, input_ids, offsets):
    """The solution of solutions/04_lab_loss_mask.ipynb."""
    spans = [match.span(1) for match in ASSISTANT.finditer(text)]
    return [token if any(s <= start and end <= e for s, e in spans) else -100
            for token, (start, end) in zip(input_ids, offsets)]


def test_the_reference_solution_passes(capsys, tokenizer):
    lab04.check_build_labels(reference_build_labels, tokenizer)
    assert "✅" in capsys.readouterr().out


def test_the_check_covers_every_category_and_a_multi_turn_chat():
    names = [name for name, _, _ in lab04.check_conversations()]
    assert len(names) == 7  # hand-made + six categories
    assert any("multi_turn" in name for name in names) and any("final_answer" in name for name in names)


def test_training_on_the_assistant_header_is_rejected(tokenizer):
    header = re.compile(r"(<\|im_start\|>assistant\n.*?<\|im_end\|>)", re.S)

    def with_header(text, input_ids, offsets):
        spans = [m.span(1) for m in header.finditer(text)]
        return [t if any(s <= a and b <= e for s, e in spans) else -100 for t, (a, b) in zip(input_ids, offsets)]

    with pytest.raises(AssertionError, match="header"):
        lab04.check_build_labels(with_header, tokenizer)


def test_forgetting_the_end_of_turn_token_is_rejected(tokenizer):
    content = re.compile(r"<\|im_start\|>assistant\n(.*?)<\|im_end\|>", re.S)

    def without_end(text, input_ids, offsets):
        spans = [m.span(1) for m in content.finditer(text)]
        return [t if any(s <= a and b <= e for s, e in spans) else -100 for t, (a, b) in zip(input_ids, offsets)]

    with pytest.raises(AssertionError, match="including its"):
        lab04.check_build_labels(without_end, tokenizer)


def test_loss_on_everything_and_wrong_lengths_are_rejected(tokenizer):
    with pytest.raises(AssertionError, match="expected -100"):
        lab04.check_build_labels(lambda text, ids, offsets: list(ids), tokenizer)
    with pytest.raises(AssertionError, match="one label per token"):
        lab04.check_build_labels(lambda text, ids, offsets: [-100], tokenizer)
