"""The lab 05 self-check passes the reference solution and rejects the usual mistakes with a hint."""

import pytest

from agentic_tuning import lora_budget
from agentic_tuning.selfcheck import lab05


def reference_solution(config, target_modules, rank):
    """The solution of solutions/05_lab_lora_budget.ipynb."""
    hidden, inter = config["hidden_size"], config["intermediate_size"]
    head_dim = config.get("head_dim") or hidden // config["num_attention_heads"]
    q_out = config["num_attention_heads"] * head_dim
    kv_out = config["num_key_value_heads"] * head_dim
    shapes = {"q_proj": (hidden, q_out), "k_proj": (hidden, kv_out), "v_proj": (hidden, kv_out),
              "o_proj": (q_out, hidden), "gate_proj": (hidden, inter), "up_proj": (hidden, inter),
              "down_proj": (inter, hidden)}
    return config["num_hidden_layers"] * sum(rank * sum(shapes[m]) for m in target_modules)


def test_the_reference_solution_passes(capsys):
    lab05.check_lora_trainable_parameters(reference_solution)
    assert "✅" in capsys.readouterr().out


def test_the_library_agrees_with_every_hand_computed_case():
    for _, config, modules, rank, expected, _ in lab05.CASES:
        assert lora_budget.lora_parameters(config, rank, modules) == expected


def test_forgetting_the_layers_is_rejected():
    def one_layer(config, target_modules, rank):
        return reference_solution(config, target_modules, rank) // config["num_hidden_layers"]

    with pytest.raises(AssertionError, match="num_hidden_layers"):
        lab05.check_lora_trainable_parameters(one_layer)


def test_ignoring_grouped_query_attention_is_rejected():
    def no_gqa(config, target_modules, rank):
        return reference_solution({**config, "num_key_value_heads": config["num_attention_heads"]}, target_modules, rank)

    with pytest.raises(AssertionError, match="num_key_value_heads"):
        lab05.check_lora_trainable_parameters(no_gqa)


def test_ignoring_an_explicit_head_dim_is_rejected():
    def no_head_dim(config, target_modules, rank):
        return reference_solution({k: v for k, v in config.items() if k != "head_dim"}, target_modules, rank)

    with pytest.raises(AssertionError, match="head_dim"):
        lab05.check_lora_trainable_parameters(no_head_dim)


def test_requiring_head_dim_gets_a_hint_not_a_key_error():
    def needs_head_dim(config, target_modules, rank):
        return reference_solution({**config, "head_dim": config["head_dim"]}, target_modules, rank)

    with pytest.raises(AssertionError, match="hidden_size // num_attention_heads"):
        lab05.check_lora_trainable_parameters(needs_head_dim)


def test_a_float_answer_is_rejected():
    with pytest.raises(AssertionError, match="return an int"):
        lab05.check_lora_trainable_parameters(lambda c, m, r: float(reference_solution(c, m, r)))
