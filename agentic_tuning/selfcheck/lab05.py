"""Self-check for lab 05: count LoRA's trainable parameters from a model config.

The learner writes ``lora_trainable_parameters(config, target_modules, rank) -> int``. LoRA adds
two matrices to each targeted linear layer, ``A`` (``rank x in_features``) and ``B``
(``out_features x rank``), so a layer costs ``rank * (in_features + out_features)`` parameters,
once per decoder layer. The shapes come from the config:

* ``head_dim``: ``config["head_dim"]`` when present, else ``hidden_size // num_attention_heads``;
* ``q_proj``: hidden -> heads * head_dim; ``k_proj``, ``v_proj``: hidden -> kv_heads * head_dim;
  ``o_proj``: heads * head_dim -> hidden;
* ``gate_proj``, ``up_proj``: hidden -> intermediate; ``down_proj``: intermediate -> hidden.

Expected values below were worked out by hand (see each comment); ``agentic_tuning.lora_budget``
computes the same numbers and the unit tests check that they agree.
"""

from __future__ import annotations

ALL = ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"]

SMOLLM2_135M = {"hidden_size": 576, "intermediate_size": 1536, "num_hidden_layers": 30,
                "num_attention_heads": 9, "num_key_value_heads": 3, "head_dim": 64, "vocab_size": 49152}
# Qwen2.5-1.5B-Instruct (the gpu profile's model): no head_dim key, so head_dim = 1536 // 12 = 128.
QWEN25_1_5B = {"hidden_size": 1536, "intermediate_size": 8960, "num_hidden_layers": 28,
               "num_attention_heads": 12, "num_key_value_heads": 2, "vocab_size": 151936}
# A tiny config whose head_dim (32) is not hidden_size // heads (16), as in Qwen3 or Gemma.
WIDE_HEADS = {"hidden_size": 64, "intermediate_size": 96, "num_hidden_layers": 3,
              "num_attention_heads": 4, "num_key_value_heads": 2, "head_dim": 32, "vocab_size": 100}
TINY = {"hidden_size": 64, "intermediate_size": 96, "num_hidden_layers": 2,
        "num_attention_heads": 4, "num_key_value_heads": 2, "vocab_size": 100}

# (name, config, target modules, rank, expected, hint), from the simplest case to the subtle ones
CASES = [
    # 2 layers * 8 * (96 + 64)
    ("tiny config, down_proj, rank 8", TINY, ["down_proj"], 8, 2_560,
     "one adapted linear costs rank * (in_features + out_features), and every decoder layer has one: "
     "multiply by num_hidden_layers. down_proj maps intermediate_size -> hidden_size."),
    # 2 * 2 * ((64 + 64) + (96 + 64))
    ("tiny config, o_proj and down_proj, rank 2", TINY, ["o_proj", "down_proj"], 2, 1_152,
     "sum over the target modules; o_proj maps num_attention_heads * head_dim -> hidden_size."),
    # 30 * 16 * ((576 + 576) + (576 + 1536))
    ("SmolLM2-135M, q_proj and up_proj, rank 16", SMOLLM2_135M, ["q_proj", "up_proj"], 16, 1_566_720,
     "count only the modules in target_modules; up_proj maps hidden_size -> intermediate_size."),
    # 30 * 4 * (576 + 3 * 64)
    ("SmolLM2-135M, k_proj only, rank 4", SMOLLM2_135M, ["k_proj"], 4, 92_160,
     "k_proj and v_proj project to num_key_value_heads * head_dim (grouped-query attention), not to hidden_size."),
    # per layer 8 * (1152 + 768 + 768 + 1152 + 3 * 2112) = 81,408; x 30 layers
    ("SmolLM2-135M, all seven projections, rank 8", SMOLLM2_135M, ALL, 8, 2_442_240,
     "all seven: q, k, v, o (attention) and gate, up, down (MLP)."),
    # 28 * 16 * (2 * 3072 + 2 * 1792 + 3 * 10496) = 28 * 659,456
    ("Qwen2.5-1.5B, all seven projections, rank 16", QWEN25_1_5B, ALL, 16, 18_464_768,
     "without a head_dim key, head_dim = hidden_size // num_attention_heads."),
    # 3 * 1 * ((64 + 128) + (128 + 64))
    ("head_dim given explicitly, q_proj and o_proj, rank 1", WIDE_HEADS, ["q_proj", "o_proj"], 1, 1_152,
     "use config['head_dim'] when the config has it: q_proj outputs num_attention_heads * head_dim, "
     "which need not equal hidden_size."),
]


def check_lora_trainable_parameters(lora_trainable_parameters) -> None:
    """Run the learner's function on hand-made cases; print a success line or raise AssertionError with a hint."""
    for number, (name, config, modules, rank, expected, hint) in enumerate(CASES, start=1):
        try:
            got = lora_trainable_parameters(dict(config), list(modules), rank)
        except KeyError as exc:
            raise AssertionError(
                f"case {number} ({name}): your function raised KeyError {exc}. Not every config has every key: "
                f"this one has {sorted(config)}. Without head_dim, use hidden_size // num_attention_heads.") from exc
        assert isinstance(got, int) and not isinstance(got, bool), (
            f"case {number} ({name}): return an int, not {type(got).__name__} ({got!r}).")
        assert got == expected, (
            f"case {number} of {len(CASES)} ({name}): expected {expected:,}, got {got:,}.\nHint: {hint}")
    print(f"✅ lora_trainable_parameters is correct on all {len(CASES)} hand-made cases.")


__all__ = ["CASES", "check_lora_trainable_parameters"]
