"""lora_budget: parameter and memory counts from a config, checked against real (tiny) models."""

import pytest

from agentic_tuning import lora_budget as lb

# The fields of SmolLM2-135M-Instruct's config.json that the counts use.
SMOLLM2_135M = {
    "model_type": "llama", "hidden_size": 576, "intermediate_size": 1536, "num_hidden_layers": 30,
    "num_attention_heads": 9, "num_key_value_heads": 3, "head_dim": 64, "vocab_size": 49152,
    "tie_word_embeddings": True, "attention_bias": False, "mlp_bias": False,
}


def test_smollm2_counts_match_the_published_size():
    counts = lb.base_parameters(SMOLLM2_135M)
    assert counts["total"] == 134_515_008  # SmolLM2-135M's parameter count
    assert counts["embeddings"] == 49152 * 576 and counts["lm_head"] == 0
    assert lb.linear_shapes(SMOLLM2_135M)["k_proj"] == (576, 3 * 64)


def test_lora_parameters_by_hand():
    # one layer at rank 8: q 8*(576+576) + k,v 8*(576+192) each + o 8*(576+576) + 3 MLP 8*(576+1536)
    per_layer = 8 * (1152 + 768 + 768 + 1152 + 3 * 2112)
    assert lb.lora_parameters(SMOLLM2_135M, 8) == 30 * per_layer == 2_442_240
    assert lb.lora_parameters(SMOLLM2_135M, 16) == 2 * lb.lora_parameters(SMOLLM2_135M, 8)
    assert lb.lora_parameters(SMOLLM2_135M, 4, ["q_proj", "v_proj"]) == 30 * 4 * (1152 + 768)
    assert lb.lora_parameters(SMOLLM2_135M, 8, layers_to_transform=range(15, 30)) == 15 * per_layer


def test_bad_inputs_are_refused():
    with pytest.raises(ValueError, match="unknown target modules"):
        lb.lora_parameters(SMOLLM2_135M, 8, ["q_proj", "qkv"])
    with pytest.raises(ValueError, match="rank"):
        lb.lora_parameters(SMOLLM2_135M, 0)
    with pytest.raises(ValueError, match="precision"):
        lb.weight_memory_bytes(SMOLLM2_135M, "int3")


def test_memory_by_precision():
    counts = lb.base_parameters(SMOLLM2_135M)
    assert lb.weight_memory_bytes(SMOLLM2_135M, "fp32") == 4 * counts["total"]
    assert lb.weight_memory_bytes(SMOLLM2_135M, "bf16") == 2 * counts["total"]
    four_bit = lb.weight_memory_bytes(SMOLLM2_135M, "4bit")
    assert four_bit == pytest.approx(counts["linear"] * 4.127 / 8 + (counts["total"] - counts["linear"]) * 2, rel=1e-4)
    lora = lb.lora_parameters(SMOLLM2_135M, 16)
    assert lb.training_memory_bytes(SMOLLM2_135M, "bf16", 16) == 2 * counts["total"] + 16 * lora


def test_tables_have_one_row_per_rank_and_precision():
    ranks = lb.rank_table(SMOLLM2_135M, ranks=(8, 16))
    assert list(ranks.index) == [8, 16]
    assert ranks.loc[8, "trainable params"] == 2_442_240
    memory = lb.memory_table(SMOLLM2_135M)
    assert list(memory.index) == ["fp32", "bf16", "4bit"] and memory.loc["fp32", "vs fp32"] == 1.0
    assert memory.loc["4bit", "weights (MB)"] < memory.loc["bf16", "weights (MB)"] < memory.loc["fp32", "weights (MB)"]


def _tiny(config_class, **extra):
    return config_class(**{"hidden_size": 64, "intermediate_size": 96, "num_hidden_layers": 2,
                           "num_attention_heads": 4, "num_key_value_heads": 2, "vocab_size": 128, **extra})


@pytest.mark.parametrize("family, extra", [
    ("llama", {"tie_word_embeddings": True}),
    ("llama", {"tie_word_embeddings": False, "attention_bias": True, "mlp_bias": True}),
    ("qwen2", {"tie_word_embeddings": True}),
], ids=["llama-tied", "llama-biases-untied", "qwen2"])
def test_counts_match_real_models(family, extra):
    import torch
    from peft import LoraConfig, get_peft_model
    from transformers import AutoModelForCausalLM, LlamaConfig, Qwen2Config

    config = _tiny(LlamaConfig if family == "llama" else Qwen2Config, **extra)
    model = AutoModelForCausalLM.from_config(config, dtype=torch.float32)
    assert lb.base_parameters(config)["total"] == sum(p.numel() for p in model.parameters())
    assert lb.weight_memory_bytes(config, "fp32") == sum(p.numel() * p.element_size() for p in model.parameters())
    modules = ["q_proj", "v_proj", "down_proj"]
    peft_model = get_peft_model(model, LoraConfig(r=4, target_modules=modules, task_type="CAUSAL_LM"))
    trainable = sum(p.numel() for p in peft_model.parameters() if p.requires_grad)
    assert lb.lora_parameters(config, 4, modules) == trainable


def test_counts_only_the_layers_to_transform():
    import torch
    from peft import LoraConfig, get_peft_model
    from transformers import AutoModelForCausalLM, LlamaConfig

    config = _tiny(LlamaConfig, num_hidden_layers=4)
    model = AutoModelForCausalLM.from_config(config, dtype=torch.float32)
    lora = LoraConfig(r=4, target_modules=["q_proj", "up_proj"], layers_to_transform=[2, 3], task_type="CAUSAL_LM")
    trainable = sum(p.numel() for p in get_peft_model(model, lora).parameters() if p.requires_grad)
    assert lb.lora_parameters(config, 4, ["q_proj", "up_proj"], layers_to_transform=[2, 3]) == trainable
    assert lb.lora_parameters(config, 4, ["q_proj", "up_proj"]) == 2 * trainable


def test_load_config_reads_a_model_folder(tmp_path):
    (tmp_path / "config.json").write_text('{"hidden_size": 8}')
    assert lb.load_config(str(tmp_path)) == {"hidden_size": 8}


def test_adapter_weights_and_folder_table(tmp_path):
    import json

    import torch
    from safetensors.torch import save_file

    shapes = lb.linear_shapes(SMOLLM2_135M)
    save_file({"a": torch.zeros(4, shapes["q_proj"][0], dtype=torch.float16),
               "b": torch.zeros(shapes["q_proj"][1], 4, dtype=torch.float16)}, tmp_path / "adapter_model.safetensors")
    (tmp_path / "adapter_config.json").write_text(json.dumps(
        {"base_model_name_or_path": "embedded", "r": 4, "lora_alpha": 8, "target_modules": ["v_proj", "q_proj"]}))
    info = lb.adapter_weights(tmp_path)
    assert info["parameters"] == lb.lora_parameters(SMOLLM2_135M, 4, ["q_proj"]) // 30
    assert (info["tensors"], info["dtype"], info["rank r"]) == (2, "float16", 4)
    assert info["target modules"] == "q_proj, v_proj"
    table = lb.folder_table(tmp_path)
    assert list(table.index) == ["adapter_model.safetensors", "adapter_config.json", "(total)"]
    assert table.loc["(total)", "kB"] == pytest.approx(table["kB"].iloc[:-1].sum(), abs=0.2)


def test_log_summary():
    log = {"profile": {"name": "cpu", "max_steps": 10, "lora_r": 16}, "backend": "peft", "device": "x86_64",
           "torch_threads": 2, "examples_seen": 40, "wall_time_s": 25.0, "tokens_per_s": 900.0, "loss_tokens": 1200,
           "peak_memory": {"cpu_rss_mb": 2048.0}, "final_loss": 0.1}
    summary = lb.log_summary(log)
    assert summary["s per step"] == 2.5 and summary["peak CPU RSS (MiB)"] == 2048.0
    assert "peak GPU allocated (MiB)" not in summary
    log["peak_memory"]["gpu_allocated_mb"] = 5000.0
    assert lb.log_summary(log)["peak GPU allocated (MiB)"] == 5000.0
