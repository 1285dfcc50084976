"""Model + LoRA setup for the two training backends.

``unsloth``: NVIDIA GPU only, 4-bit base weights, Unsloth's fused kernels. Unsloth patches
transformers when imported and refuses to import without a GPU, so it is imported only here,
inside ``load_unsloth``.
``peft``: transformers + PEFT LoRA on any device, the CPU included.
Both return a PEFT model and a tokenizer with the project's tool chat template; the same TRL
trainer and the same loss mask are used afterwards.
"""

from __future__ import annotations

import importlib.util
import os

from ..chat_template import load_tokenizer, prepare_tokenizer
from ..models import resolve_base_model
from .profiles import TrainingProfile, has_nvidia_gpu

BACKENDS = ("auto", "unsloth", "peft")
LORA_INITS = ("default", "pissa")


def unsloth_installed() -> bool:
    return importlib.util.find_spec("unsloth") is not None


def choose_backend(requested: str = "auto", profile: TrainingProfile | None = None) -> str:
    """``unsloth`` when asked for, or on auto with an NVIDIA GPU and Unsloth installed for a profile without
    prefix sharing; else ``peft``.

    Prefix sharing needs the KV cache of the prefix pass, and Unsloth's fast forward pass returns none while
    training (on an H200: ``past_key_values`` was None, docs/gpu.md), so such a profile trains with ``peft``.
    """
    if requested not in BACKENDS:
        raise ValueError(f"backend must be one of {BACKENDS}")
    if requested == "unsloth" and not has_nvidia_gpu():
        raise RuntimeError("the unsloth backend needs an NVIDIA GPU; use --backend peft")
    sharing = profile is not None and profile.prefix_sharing
    if requested == "unsloth" and sharing:
        raise ValueError(f"profile {profile.name!r} uses prefix_sharing, which the unsloth backend cannot run "
                         "(its forward pass returns no KV cache while training); use --backend peft")
    own_start = profile is not None and profile.lora_init != "default"
    if requested == "unsloth" and own_start:
        raise ValueError(f"profile {profile.name!r} starts its LoRA weights with {profile.lora_init!r}, which the "
                         "trainer converts for saving with the peft backend only; use --backend peft")
    if requested != "auto":
        return requested
    return "unsloth" if has_nvidia_gpu() and unsloth_installed() and not sharing and not own_start else "peft"


def import_unsloth_first() -> None:
    """Import Unsloth before trl, transformers and peft: it patches them when imported, and warns that
    optimisations are missing when they were imported first."""
    import unsloth  # noqa: F401


def load_unsloth(profile: TrainingProfile):
    from unsloth import FastLanguageModel

    gradient_checkpointing = "unsloth" if profile.gradient_checkpointing else False
    model, tokenizer = FastLanguageModel.from_pretrained(
        model_name=resolve_base_model(profile.base_model),
        max_seq_length=profile.max_length,
        dtype=None,
        load_in_4bit=profile.load_in_4bit,
        use_gradient_checkpointing=gradient_checkpointing,
    )
    model = FastLanguageModel.get_peft_model(
        model,
        r=profile.lora_r,
        lora_alpha=profile.lora_alpha,
        lora_dropout=profile.lora_dropout,
        target_modules=profile.target_modules,
        layers_to_transform=profile.layers_to_transform,
        bias="none",
        use_gradient_checkpointing=gradient_checkpointing,
        random_state=profile.seed,
    )
    return model, prepare_tokenizer(tokenizer)


def load_peft(profile: TrainingProfile):
    import torch
    from peft import LoraConfig, get_peft_model
    from transformers import AutoModelForCausalLM, BitsAndBytesConfig

    if profile.lora_init not in LORA_INITS:
        raise ValueError(f"lora_init must be one of {LORA_INITS}, not {profile.lora_init!r}")
    base = resolve_base_model(profile.base_model)
    kwargs = {"dtype": torch.float32}
    if profile.load_in_4bit and has_nvidia_gpu():
        kwargs = {
            "quantization_config": BitsAndBytesConfig(load_in_4bit=True, bnb_4bit_compute_dtype=torch.bfloat16),
            "dtype": torch.bfloat16,
            # One full copy per process: under `accelerate launch` each rank loads onto its own GPU.
            "device_map": {"": int(os.environ.get("LOCAL_RANK", 0))},
        }
    model = AutoModelForCausalLM.from_pretrained(base, **kwargs)
    if profile.gradient_checkpointing:
        model.gradient_checkpointing_enable()
        model.enable_input_require_grads()
    config = LoraConfig(
        r=profile.lora_r,
        lora_alpha=profile.lora_alpha,
        lora_dropout=profile.lora_dropout,
        target_modules=profile.target_modules,
        layers_to_transform=profile.layers_to_transform,
        init_lora_weights=True if profile.lora_init == "default" else profile.lora_init,
        task_type="CAUSAL_LM",
    )
    # Seeded here, not earlier: a first load that converts the embedded GGUF draws from the global
    # generator, and the LoRA init must not depend on whether that cache existed.
    torch.manual_seed(profile.seed)
    return get_peft_model(model, config), prepare_tokenizer(load_tokenizer(base))


def load_for_training(profile: TrainingProfile, backend: str):
    return load_unsloth(profile) if backend == "unsloth" else load_peft(profile)
