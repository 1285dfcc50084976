from agentic_tuning.chat_template import tokenize_for_training
from agentic_tuning.mask_view import IGNORE, first_assistant_span, loss_counts, mask_html, token_rows
from agentic_tuning.selfcheck.lab04 import HAND_MADE


def test_loss_counts():
    assert loss_counts([IGNORE, 5, 6, IGNORE]) == {
        "loss_tokens": 2, "no_loss_tokens": 2, "total_tokens": 4, "loss_share": 0.5}
    assert loss_counts([])["loss_share"] == 0.0


def test_first_assistant_span():
    assert first_assistant_span([IGNORE, IGNORE, 7, 8, IGNORE, 9]) == (2, 4)
    assert first_assistant_span([IGNORE, 7]) == (1, 2)
    assert first_assistant_span([IGNORE]) == (0, 0)


def test_rows_and_html_show_exactly_the_trained_tokens(tokenizer, tools):
    encoded = tokenize_for_training(tokenizer, HAND_MADE, tools)
    ids, labels = encoded["input_ids"], encoded["labels"]
    start, stop = first_assistant_span(labels)
    rows = token_rows(tokenizer, ids, labels, start - 2, stop + 1)
    assert [r["loss"] for r in rows] == [False, False] + [True] * (stop - start) + [False]
    assert "".join(r["token"] for r in rows[2:]).startswith("<tool_call>")
    assert rows[-2]["token"] == "<|im_end|>"

    html = mask_html(tokenizer, ids, labels, skip=start - 10)
    assert html.count('title="position') == len(ids) - (start - 10)
    assert html.count("background:#c8ecc8") == loss_counts(labels)["loss_tokens"] + 1  # + the legend
    assert "&lt;|im_end|&gt;" in html and "<tool_call>" not in html  # token text is escaped
    assert f"[… {start - 10} tokens of tool schemas" in html


def test_html_refuses_to_hide_trained_tokens(tokenizer, tools):
    import pytest

    encoded = tokenize_for_training(tokenizer, HAND_MADE, tools)
    with pytest.raises(ValueError):
        mask_html(tokenizer, encoded["input_ids"], encoded["labels"], skip=len(encoded["labels"]))


def test_token_text_is_exact(tokenizer):
    from agentic_tuning.mask_view import token_text

    ids = tokenizer("Done , really ?", add_special_tokens=False).input_ids
    assert token_text(tokenizer, ids) == "Done , really ?"
