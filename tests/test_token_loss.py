import math

import pytest

from agentic_tuning.token_loss import example_token_losses, loss_by_kind


def test_loss_by_kind_splits_tokens_and_loss_between_decisions_and_the_rest():
    summary = loss_by_kind([(True, 3.0), (False, 0.5), (False, 0.5), (True, 1.0)])
    assert summary["decision"] == {"tokens": 2, "mean_loss": 2.0, "share_of_tokens": 0.5, "share_of_loss": 0.8}
    assert summary["other"] == {"tokens": 2, "mean_loss": 0.5, "share_of_tokens": 0.5, "share_of_loss": 0.2}


@pytest.mark.model
def test_example_token_losses_cover_every_trained_token_once(embedded_model, tools):
    from agentic_tuning.chat_template import decision_tokens, tokenize_for_training
    from agentic_tuning.data import build_split

    example = next(e for e in build_split("train", 20, seed=4) if e["category"] == "parallel")
    pairs = example_token_losses(embedded_model.model, embedded_model.tokenizer, example)
    row = tokenize_for_training(embedded_model.tokenizer, example["messages"], tools)
    decisions = decision_tokens(embedded_model.tokenizer, example["messages"], tools, row)
    assert len(pairs) == sum(label != -100 for label in row["labels"])
    assert sum(decision for decision, _ in pairs) == sum(decisions) >= 3
    assert all(math.isfinite(loss) and loss >= 0 for _, loss in pairs)
