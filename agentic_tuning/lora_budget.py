"""What LoRA and 4-bit weights cost, computed from a model's config (nothing typed by hand).

A decoder layer of a Llama-style model (SmolLM2, Qwen2.5, Llama, Mistral) holds seven linear
projections; their shapes follow from ``hidden_size``, ``intermediate_size``, the number of
attention and key/value heads and ``head_dim``. From those shapes:

* :func:`base_parameters` counts every weight of the base model (embeddings, linears, biases,
  norms), :func:`lora_parameters` the trainable LoRA weights for a rank and a set of target
  modules: ``rank * (in_features + out_features)`` per adapted linear, per layer;
* :func:`weight_memory_bytes` is the memory the base weights take at fp32, bf16 or 4-bit
  (bitsandbytes NF4: 4 bits per linear weight plus the per-block scales; embeddings and norms
  stay in 16 bits);
* :func:`training_memory_bytes` adds what LoRA training keeps per trainable parameter
  (fp32 weight, gradient and the two Adam moments).

Activations are not included: they depend on batch size and sequence length, not on the rank.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

LINEAR_MODULES = ("q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj")
BYTES_PER_PARAM = {"fp32": 4.0, "bf16": 2.0}
# bitsandbytes NF4 with double quantisation (what Unsloth and QLoRA use): 4 bits per weight, one
# 8-bit scale per block of 64 weights, and one fp32 constant per 256 of those scales.
NF4_BLOCK = 64
NF4_SCALE_BLOCK = 256
NF4_BITS_PER_WEIGHT = 4 + 8 / NF4_BLOCK + 32 / (NF4_BLOCK * NF4_SCALE_BLOCK)
# LoRA training keeps, per trainable parameter: fp32 weight + fp32 gradient + Adam's two moments.
TRAINING_BYTES_PER_LORA_PARAM = 4 + 4 + 8
# Model types whose q/k/v projections carry a bias whatever the config says (Qwen2 and Qwen2.5).
QKV_BIAS_MODEL_TYPES = {"qwen2"}


def load_config(spec: str = "embedded") -> dict:
    """The ``config.json`` of ``embedded``, a local model folder or (hub allowed) a hub id, as a dict."""
    from .models import EMBEDDED, embedded_model_dir, resolve_base_model

    if spec == EMBEDDED:
        return json.loads((embedded_model_dir() / "config.json").read_text())
    if (Path(spec) / "config.json").exists():
        return json.loads((Path(spec) / "config.json").read_text())
    from transformers import AutoConfig

    return AutoConfig.from_pretrained(resolve_base_model(spec)).to_dict()


def _as_dict(config) -> dict:
    return config if isinstance(config, dict) else config.to_dict()


def _dims(config) -> dict:
    c = _as_dict(config)
    heads = c["num_attention_heads"]
    head_dim = c.get("head_dim") or c["hidden_size"] // heads
    return {
        "hidden": c["hidden_size"],
        "intermediate": c["intermediate_size"],
        "layers": c["num_hidden_layers"],
        "q_out": heads * head_dim,
        "kv_heads": c.get("num_key_value_heads") or heads,
        "head_dim": head_dim,
        "vocab": c["vocab_size"],
        "tied": bool(c.get("tie_word_embeddings", False)),
        "qkv_bias": bool(c.get("attention_bias")) or c.get("model_type") in QKV_BIAS_MODEL_TYPES,
        "o_bias": bool(c.get("attention_bias")) and c.get("model_type") not in QKV_BIAS_MODEL_TYPES,
        "mlp_bias": bool(c.get("mlp_bias")),
    }


def linear_shapes(config) -> dict[str, tuple[int, int]]:
    """``(in_features, out_features)`` of each linear projection in one decoder layer."""
    d = _dims(config)
    kv_out = d["kv_heads"] * d["head_dim"]
    return {
        "q_proj": (d["hidden"], d["q_out"]),
        "k_proj": (d["hidden"], kv_out),
        "v_proj": (d["hidden"], kv_out),
        "o_proj": (d["q_out"], d["hidden"]),
        "gate_proj": (d["hidden"], d["intermediate"]),
        "up_proj": (d["hidden"], d["intermediate"]),
        "down_proj": (d["intermediate"], d["hidden"]),
    }


def base_parameters(config) -> dict[str, int]:
    """Parameter counts of the base model by part, and their ``total``."""
    d = _dims(config)
    shapes = linear_shapes(config)
    linear = d["layers"] * sum(i * o for i, o in shapes.values())
    biases = {name: o for name, (_, o) in shapes.items()
              if (name in ("q_proj", "k_proj", "v_proj") and d["qkv_bias"]) or (name == "o_proj" and d["o_bias"])
              or (name in ("gate_proj", "up_proj", "down_proj") and d["mlp_bias"])}
    parts = {
        "embeddings": d["vocab"] * d["hidden"],
        "lm_head": 0 if d["tied"] else d["vocab"] * d["hidden"],
        "linear": linear,
        "biases": d["layers"] * sum(biases.values()),
        "norms": (2 * d["layers"] + 1) * d["hidden"],  # two RMSNorms per layer and a final one
    }
    return {**parts, "total": sum(parts.values())}


def lora_parameters(config, rank: int, target_modules=LINEAR_MODULES, layers_to_transform=None) -> int:
    """Trainable LoRA parameters: ``rank * (in + out)`` for every targeted linear in every adapted
    layer (all of them, or those listed in ``layers_to_transform`` as in PEFT's ``LoraConfig``)."""
    shapes = linear_shapes(config)
    unknown = set(target_modules) - set(shapes)
    if unknown:
        raise ValueError(f"unknown target modules {sorted(unknown)}; choose from {list(shapes)}")
    if rank < 1:
        raise ValueError("rank must be a positive integer")
    layers = _dims(config)["layers"] if layers_to_transform is None else len(set(layers_to_transform))
    return layers * sum(rank * sum(shapes[m]) for m in target_modules)


def weight_memory_bytes(config, precision: str) -> float:
    """Bytes the base weights take: ``fp32``, ``bf16`` or ``4bit`` (NF4 linears, 16-bit rest)."""
    counts = base_parameters(config)
    if precision in BYTES_PER_PARAM:
        return counts["total"] * BYTES_PER_PARAM[precision]
    if precision == "4bit":
        return counts["linear"] * NF4_BITS_PER_WEIGHT / 8 + (counts["total"] - counts["linear"]) * 2
    raise ValueError(f"precision must be one of fp32, bf16, 4bit, not {precision!r}")


def training_memory_bytes(config, precision: str, rank: int, target_modules=LINEAR_MODULES) -> float:
    """Base weights at ``precision`` plus LoRA weights, gradients and Adam state (no activations)."""
    lora = lora_parameters(config, rank, target_modules)
    return weight_memory_bytes(config, precision) + lora * TRAINING_BYTES_PER_LORA_PARAM


def rank_table(config, ranks=(4, 8, 16, 32, 64), target_modules=LINEAR_MODULES, precision: str = "fp32"):
    """One row per rank: trainable parameters, their share of the base model, the extra multiply-adds
    per token they add to the adapted linears (``2 * rank * (in + out)`` against ``2 * in * out``),
    the adapter file size and the training memory."""
    import pandas as pd

    counts = base_parameters(config)
    base = counts["total"]
    rows = []
    for rank in ranks:
        lora = lora_parameters(config, rank, target_modules)
        rows.append({
            "rank": rank,
            "trainable params": lora,
            "% of base params": round(100 * lora / base, 3),
            "extra matmul FLOPs per token (%)": round(100 * lora / counts["linear"], 2),
            "adapter file, fp16 (MB)": round(lora * 2 / 1e6, 2),
            "LoRA weights+grads+Adam (MB)": round(lora * TRAINING_BYTES_PER_LORA_PARAM / 1e6, 1),
            f"training total, {precision} base (MB)": round(training_memory_bytes(config, precision, rank, target_modules) / 1e6, 1),
        })
    return pd.DataFrame(rows).set_index("rank")


def memory_table(config, precisions=("fp32", "bf16", "4bit")):
    """Weight memory of the base model at each precision, with its ratio to fp32."""
    import pandas as pd

    fp32 = weight_memory_bytes(config, "fp32")
    rows = [{"precision": p, "weights (MB)": round(weight_memory_bytes(config, p) / 1e6, 1),
             "vs fp32": round(weight_memory_bytes(config, p) / fp32, 3)} for p in precisions]
    return pd.DataFrame(rows).set_index("precision")


_SAFETENSORS_DTYPES = {"F32": "float32", "F16": "float16", "BF16": "bfloat16"}


def adapter_weights(folder) -> dict:
    """What a saved LoRA adapter folder holds: rank, alpha, target modules, tensors, parameters, dtype, size."""
    from safetensors import safe_open

    folder = Path(folder)
    config = json.loads((folder / "adapter_config.json").read_text())
    weights = folder / "adapter_model.safetensors"
    parameters, dtypes, tensors = 0, set(), 0
    with safe_open(str(weights), framework="pt") as handle:
        for key in handle.keys():
            tensor = handle.get_slice(key)
            shape = tensor.get_shape()
            parameters += int(math.prod(shape))
            dtypes.add(_SAFETENSORS_DTYPES.get(tensor.get_dtype(), tensor.get_dtype()))
            tensors += 1
    return {
        "base model": config["base_model_name_or_path"],
        "rank r": config["r"],
        "lora_alpha": config["lora_alpha"],
        "target modules": ", ".join(sorted(config["target_modules"])),
        "tensors": tensors,
        "parameters": parameters,
        "dtype": ", ".join(sorted(dtypes)),
        "weights file (MB)": round(weights.stat().st_size / 1e6, 2),
    }


def folder_table(folder):
    """The files of a folder with their sizes (kB), largest first, and a total row."""
    import pandas as pd

    files = sorted((p for p in Path(folder).iterdir() if p.is_file()), key=lambda p: (-p.stat().st_size, p.name))
    frame = pd.DataFrame({"file": [p.name for p in files], "kB": [round(p.stat().st_size / 1e3, 1) for p in files]})
    total = pd.DataFrame({"file": ["(total)"], "kB": [round(sum(p.stat().st_size for p in files) / 1e3, 1)]})
    return pd.concat([frame, total], ignore_index=True).set_index("file")


def log_summary(log: dict) -> dict:
    """The numbers of a training log (``train.run``'s return value or a train_log.json) worth comparing."""
    steps = log["profile"]["max_steps"]
    summary = {
        "profile": log["profile"]["name"],
        "backend": log["backend"],
        "device": log["device"],
        "torch threads": log["torch_threads"],
        "LoRA rank": log["profile"]["lora_r"],
        "steps": steps,
        "examples seen": log["examples_seen"],
        "wall time (s)": log["wall_time_s"],
        "s per step": round(log["wall_time_s"] / steps, 2),
        "tokens/s (whole examples)": log["tokens_per_s"],
        "loss tokens": log["loss_tokens"],
        "peak CPU RSS (MiB)": log["peak_memory"]["cpu_rss_mb"],
        "final loss": log["final_loss"],
    }
    if "gpu_allocated_mb" in log["peak_memory"]:
        summary["peak GPU allocated (MiB)"] = log["peak_memory"]["gpu_allocated_mb"]
    return summary


__all__ = [
    "LINEAR_MODULES", "NF4_BITS_PER_WEIGHT", "TRAINING_BYTES_PER_LORA_PARAM", "load_config", "linear_shapes",
    "base_parameters", "lora_parameters", "weight_memory_bytes", "training_memory_bytes", "rank_table",
    "memory_table", "adapter_weights", "folder_table", "log_summary",
]
