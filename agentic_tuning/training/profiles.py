"""Training profiles: one visible JSON file of hyperparameters per profile under configs/."""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

from ..paths import REPO_ROOT

CONFIG_DIR = REPO_ROOT / "configs"
PROFILE_ENV = "AGENTIC_TUNING_PROFILE"
PROFILES = ("smoke", "cpu", "gpu")


@dataclass(frozen=True)
class TrainingProfile:
    name: str
    description: str
    base_model: str
    max_steps: int
    batch_size: int
    gradient_accumulation_steps: int
    learning_rate: float
    warmup_steps: int
    lora_r: int
    lora_alpha: int
    lora_dropout: float
    target_modules: list[str] = field(default_factory=list)
    # LoRA on these decoder layers only (None: all). Upper layers only also shortens the backward pass.
    layers_to_transform: list[int] | None = None
    max_length: int = 2048
    # "random" mixes categories in every batch; "group_by_length" pads less but makes batches of one
    # kind (all chit-chat, all multi-turn), which a short run can end on and overfit to.
    train_sampling_strategy: str = "random"
    prefix_sharing: bool = False
    # With prefix_sharing: recompute the prefix's KV cache every this many optimizer steps. 1 is exact;
    # more reuses a cache computed under weights up to that many steps - 1 old, which saves that pass.
    prefix_refresh_steps: int = 1
    # Loss weight of the tokens that decide what the assistant does (``chat_template.decision_tokens``:
    # the first token of each turn, the tool names); 1 weighs every assistant token alike.
    decision_token_weight: float = 1.0
    # Loss weight of the tokens that pick a call's fields (``chat_template.argument_key_tokens``: each
    # argument's key, and the brace that closes the arguments); 1 weighs them like the rest.
    argument_key_weight: float = 1.0
    # LoRA+ (https://arxiv.org/abs/2402.12354): the LoRA B matrices learn this many times faster than
    # the A matrices, which keep ``learning_rate``; 1 is plain LoRA with the Trainer's own optimizer.
    loraplus_lr_ratio: float = 1.0
    # How the learning rate falls after warmup: any ``lr_scheduler_type`` of transformers' Trainer
    # ("linear" to 0 at max_steps, "cosine" to 0 along half a cosine, ...).
    lr_scheduler_type: str = "linear"
    # AdamW's decoupled weight decay: every step shrinks each LoRA weight by learning rate x this fraction,
    # pulling the adapter towards the base model; 0 (the Trainer's default) leaves the weights alone.
    weight_decay: float = 0.0
    # AdamW's decay of its running mean of squared gradients, which divides each update: at the Trainer's 0.999 it
    # averages over about 1,000 steps, so in a run of a few hundred the large gradients of the first steps keep
    # the later updates small; 0.99 averages over about the last 100.
    adam_beta2: float = 0.999
    # Label smoothing (Szegedy et al., 2016): each labelled token's target keeps 1 - this much probability and
    # spreads the rest evenly over the vocabulary, a regulariser against over-confident predictions; 0: off.
    label_smoothing: float = 0.0
    # Focal loss (Lin et al., 2017, arXiv:1708.02002): each labelled token's loss times (1 - p) ** gamma, p the
    # probability the model gives its target, so tokens it already predicts (most of the JSON) count less and the
    # uncertain ones (which tool, which value, another field or the closing brace) count more; 0: plain loss.
    focal_loss_gamma: float = 0.0
    # With prefix_sharing: run the prefix and example passes under bf16 autocast (weights, gradients and the
    # loss stay fp32): true, false, or "auto", on when training on a CPU with bf16 instructions (AVX512-BF16,
    # AMX), which multiply bf16 matrices faster than fp32 ones; others emulate bf16. GPUs get bf16 from the
    # Trainer's own flags, so "auto" is off there.
    bf16_autocast: bool | str = False
    # With prefix_sharing: the attention kernel of the example passes that follow the shared prefix ("sdpa",
    # "eager", or "auto": eager when bf16 autocast is on, else sdpa; the prefix pass always runs "sdpa"). On an
    # AVX512-BF16 CPU, eager with bf16_autocast made a step faster and eager alone slower
    # (results/step_time_avx512.json): time them on your machine with benchmarks/step_time.py.
    example_attention: str = "sdpa"
    # NEFTune (Jain et al., 2023, arXiv:2310.05914): while training, add uniform noise of at most
    # alpha / sqrt(sequence length x hidden size) to the input embeddings, a regulariser against fitting the
    # train split's exact wordings. With prefix_sharing only the tokens after the shared tool-schema prefix get
    # noise (the prefix is the same in every example); the length is the whole example's. None: off.
    neftune_noise_alpha: float | None = None
    # An exponential moving average of the LoRA weights, updated after every optimizer step with this decay
    # (it spans about 1 / (1 - decay) of the last steps), saved in their place (``weight_averaging``). None: off.
    weight_average_decay: float | None = None
    # How the LoRA weights start, PEFT's ``init_lora_weights``: "default" (A random, B zero, so the adapter starts
    # as a no-op) or "pissa" (Meng et al., 2024, arXiv:2404.02948: A and B take each weight's top singular
    # directions and the frozen weight keeps the rest; saved as the change since the start, a plain LoRA of twice
    # the rank on the original weights). With the peft backend only.
    lora_init: str = "default"
    # ORPO's odds-ratio loss (Hong et al., 2024, arXiv:2403.07691) with this weight, added to the supervised loss
    # of each example that has a wrong answer to pair with (``data.rejected_calls``: a new task with a field nobody
    # asked for, two calls cut to one): -log sigmoid(log odds of the right answer - log odds of the wrong one),
    # the odds of an answer taken from its mean token probability. Averaged over the step's examples, the unpaired
    # counting 0. With prefix_sharing and batch_size 1 only; 0: off.
    odds_ratio_weight: float = 0.0
    gradient_checkpointing: bool = False
    load_in_4bit: bool = False
    seed: int = 0

    @property
    def examples_per_step(self) -> int:
        """Examples behind one optimizer step: batch size x gradient accumulation."""
        return self.batch_size * self.gradient_accumulation_steps

    @property
    def reshapes_token_loss(self) -> bool:
        """Whether the loss is other than the model's own mean cross-entropy: some tokens counting more than
        others (decision tokens, argument keys, focal loss), or smoothed labels."""
        return (self.decision_token_weight != 1.0 or self.argument_key_weight != 1.0 or self.label_smoothing > 0
                or self.focal_loss_gamma > 0)

    @property
    def computes_own_loss(self) -> bool:
        """Whether the trainer computes the loss itself rather than through the model: with prefix sharing, or
        a reshaped token loss."""
        return self.prefix_sharing or self.reshapes_token_loss

    def to_dict(self) -> dict:
        return asdict(self)

    def with_overrides(self, **overrides) -> "TrainingProfile":
        return replace(self, **{k: v for k, v in overrides.items() if v is not None})


BF16_CPU_EXTENSIONS = frozenset({"avx512_bf16", "amx_bf16"})


def resolve_kernels(profile: TrainingProfile, cpu_extensions, on_gpu: bool) -> TrainingProfile:
    """The profile with ``bf16_autocast`` and ``example_attention`` "auto" replaced by what they mean on this
    machine (``cpu_extensions``: the CPU's instruction sets, as ``provenance.cpu_description`` lists them)."""
    bf16 = profile.bf16_autocast
    if bf16 == "auto":
        bf16 = profile.prefix_sharing and not on_gpu and bool(BF16_CPU_EXTENSIONS & set(cpu_extensions))
    attention = profile.example_attention
    if attention == "auto":
        attention = "eager" if bf16 else "sdpa"
    return replace(profile, bf16_autocast=bf16, example_attention=attention)


def load_profile(name: str) -> TrainingProfile:
    """A profile by name (``configs/<name>.json``) or from the path of your own JSON file."""
    path = Path(name) if name.endswith(".json") else CONFIG_DIR / f"{name}.json"
    if not path.exists():
        raise ValueError(f"unknown profile {name!r}; choose one of {PROFILES}")
    return TrainingProfile(**json.loads(path.read_text()))


def logged_examples_per_step(profile: dict) -> int:
    """``examples_per_step`` of a profile as a training log stores it (a plain dict)."""
    return profile["batch_size"] * profile.get("gradient_accumulation_steps", 1)


def has_nvidia_gpu() -> bool:
    import torch

    return torch.cuda.is_available()


def default_profile_name() -> str:
    """The profile for this machine: the environment variable wins, then GPU -> gpu, else cpu."""
    chosen = os.environ.get(PROFILE_ENV)
    if chosen:
        if chosen not in PROFILES:
            raise ValueError(f"{PROFILE_ENV}={chosen!r}; choose one of {PROFILES}")
        return chosen
    return "gpu" if has_nvidia_gpu() else "cpu"


def profile_path(name: str) -> Path:
    return CONFIG_DIR / f"{name}.json"
