"""One TRL ``SFTTrainer`` for both backends, trained on assistant tokens only.

Examples are tokenized with the tool chat template; labels are -100 everywhere but the
assistant turns (``chat_template.tokenize_for_training``), so both backends share the mask.

Prefix sharing (CPU profiles): every example starts with the same ~1,100-token tool-schema
prefix and carries no loss there. ``PrefixSharingSFTTrainer`` runs that prefix without gradients
once per optimizer step (the weights only change between steps, so every micro-batch of a step
can reuse it exactly), feeds its KV cache to the rest of each example, and computes logits only
at the assistant tokens; together that cuts the cost of a step several times on a CPU. With
``batch_size`` 1 and gradient accumulation, no micro-batch carries padding. The forward pass is
the same as at inference; only the gradient through the prefix's keys and values is dropped.
``prefix_refresh_steps`` above 1 trades that exactness for time: the cache is recomputed only
every that many steps, so the steps between reuse keys and values of slightly older weights.
It calls the unwrapped model, so it is meant for one process (the CPU profiles); multi-GPU runs
use the plain ``SFTTrainer``. Because it calls the decoder itself, it also chooses how: under bf16
autocast or not (``bf16_autocast``), and with which attention kernel for the example passes
(``example_attention``; ``benchmarks/step_time.py`` times both on the machine at hand), and it adds
NEFTune's noise (``neftune_noise_alpha``) to the embeddings of the example tokens only.

Under bf16 autocast, every matmul casts its fp32 weight to bf16 at every call, and PEFT casts each
LoRA input up to fp32 for autocast to cast it back down; on 2 CPU cores such copies are not cheap
next to the matmuls of a small model. So while it trains, the frozen weights of the LoRA
layers are held in bf16 (the values autocast would have made of them; the fp32 originals come back
afterwards), the output layer computes with a bf16 copy of its weight made once (it shares that
weight with the fp32 input embeddings), and PEFT's round trip is off. All those copies were exact,
so the arithmetic is the same; the round ``steps_240_held_bf16`` of docs/experiments.md gives the
time saved.

Because it computes the loss itself, it can also weigh tokens: with ``decision_token_weight``
above 1, the tokens where the assistant decides what to do (``chat_template.decision_tokens``:
the first token of each turn, the tool names) count that many times, still divided by the
number of trained tokens. ``argument_key_weight`` does the same for the tokens that pick a call's
fields (``chat_template.argument_key_tokens``: each argument's key, and the brace that ends them).
Without prefix sharing, ``WeightedLossSFTTrainer`` weighs them the same way on whole examples (the
Unsloth backend, which cannot share the prefix, trains that way); it also stands in for the plain
``SFTTrainer`` where TRL's loss cannot run (``trl_loss_runs_here``).

With ``weight_average_decay``, both trainers end on a moving average of the LoRA weights instead of
the last step's (``weight_averaging``). With ``odds_ratio_weight``, the prefix-sharing trainer also
runs a wrong answer after the same prefix for each example that has one (``data.rejected_calls``) and
adds ORPO's odds-ratio term (``odds_ratio_loss``) to its loss.
"""

from __future__ import annotations

import contextlib
import copy
import importlib.util
import json
import math
import os
import platform
import resource
import time
from dataclasses import dataclass
from functools import partial

import torch
import torch.nn.functional as F
from peft.helpers import disable_input_dtype_casting
from peft.tuners.lora import LoraLayer
from transformers import Trainer, TrainerCallback
from trl import SFTConfig, SFTTrainer
from trl.trainer.sft_trainer import DataCollatorForLanguageModeling
from trl.trainer.utils import pad

from ..chat_template import tokenize_for_training, weighted_tokens
from ..data.rejected_calls import rejected_messages
from ..generation import shared_prefix_ids
from ..provenance import cpu_description
from .profiles import resolve_kernels
from .weight_averaging import WeightAveraging


def tokenize_examples(tokenizer, examples: list[dict], max_length: int, decision_token_weight: float = 1.0,
                      argument_key_weight: float = 1.0, rejected_seed: int | None = None) -> list[dict]:
    """Tokenized examples that fit ``max_length``: input_ids, labels and length (for batching by length),
    plus per-token ``loss_weights`` when decision tokens or argument keys weigh more than the rest. With
    ``rejected_seed``, an example that has a wrong answer to pair with (``data.rejected_calls``) also carries
    that answer's ``rejected_input_ids`` and ``rejected_labels``, and every other example carries them as None
    (``Dataset.from_list`` takes its columns from the first row)."""
    rows = []
    for example in examples:
        row = tokenize_for_training(tokenizer, example["messages"], example.get("tools"))
        if len(row["input_ids"]) > max_length:
            continue
        if decision_token_weight != 1.0 or argument_key_weight != 1.0:
            decisions, keys = weighted_tokens(tokenizer, example["messages"], example.get("tools"), row)
            row["loss_weights"] = [
                decision_token_weight if decision else argument_key_weight if key else 1.0
                for decision, key in zip(decisions, keys)
            ]
        if rejected_seed is not None:
            row["rejected_input_ids"] = row["rejected_labels"] = None
            rejected = rejected_messages(example, rejected_seed)
            rejected_row = rejected and tokenize_for_training(tokenizer, rejected, example.get("tools"))
            if rejected_row and len(rejected_row["input_ids"]) <= max_length:
                row["rejected_input_ids"], row["rejected_labels"] = rejected_row["input_ids"], rejected_row["labels"]
        rows.append({**row, "length": len(row["input_ids"])})
    return rows


def mean_label_logprob(logits: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
    """The mean log-probability of ``targets`` under ``logits`` (one row per labelled token of one example)."""
    return torch.log_softmax(logits.float(), dim=-1).gather(-1, targets.unsqueeze(-1)).mean()


def log_odds(mean_logprob: torch.Tensor) -> torch.Tensor:
    """log(p / (1 - p)) of an answer whose mean token probability is p = exp(``mean_logprob``)."""
    mean_logprob = mean_logprob.clamp(max=-1e-7)  # p = 1 exactly would have infinite odds
    return mean_logprob - torch.log(-torch.expm1(mean_logprob))


def odds_ratio_loss(chosen_mean_logprob: torch.Tensor, rejected_mean_logprob: torch.Tensor) -> torch.Tensor:
    """ORPO's preference term: -log sigmoid of the log odds ratio of the right answer over the wrong one."""
    return -F.logsigmoid(log_odds(chosen_mean_logprob) - log_odds(rejected_mean_logprob))


def neftune_noise(embeddings: torch.Tensor, alpha: float, sequence_length: int) -> torch.Tensor:
    """``embeddings`` plus NEFTune's noise: uniform in +-alpha / sqrt(sequence_length x hidden size), the bound the
    Trainer's own ``neftune_noise_alpha`` hook uses (``transformers.integrations.neftune``)."""
    bound = alpha / math.sqrt(sequence_length * embeddings.shape[-1])
    return embeddings + torch.empty_like(embeddings).uniform_(-bound, bound)


def check_shared_prefix(rows: list[dict], prefix: list[int]) -> None:
    for row in rows:
        if row["input_ids"][: len(prefix)] != prefix:
            raise ValueError("prefix sharing needs every example to start with the same tool-schema prefix")
        if any(label != -100 for label in row["labels"][: len(prefix) + 1]):
            raise ValueError("the shared prefix must carry no loss")


@dataclass
class LossWeightCollator:
    """The TRL collator, plus the examples' ``loss_weights`` padded like their labels (0 on padding), and the
    wrong answer of a batch of one example that has one (``rejected_input_ids``, ``rejected_labels`` and an
    all-ones ``rejected_attention_mask``)."""

    collator: DataCollatorForLanguageModeling

    def __call__(self, examples):
        weights = [torch.tensor(example.pop("loss_weights")) for example in examples if "loss_weights" in example]
        rejected = [(example.pop("rejected_input_ids", None), example.pop("rejected_labels", None))
                    for example in examples]
        batch = self.collator(examples)
        if weights:
            batch["loss_weights"] = pad(weights, padding_value=0.0, padding_side="right")
        paired = [pair for pair in rejected if pair[0] is not None]
        if paired and len(examples) > 1:
            raise ValueError("wrong answers to pair with (odds_ratio_weight) need batches of one example")
        if paired:
            input_ids, labels = paired[0]
            batch["rejected_input_ids"] = torch.tensor([input_ids])
            batch["rejected_labels"] = torch.tensor([labels])
            batch["rejected_attention_mask"] = torch.ones_like(batch["rejected_input_ids"])
        return batch


@dataclass
class TokenCounter:
    """Wraps the collator to count the tokens the trainer processes (for tokens/s)."""

    collator: LossWeightCollator
    tokens: int = 0
    loss_tokens: int = 0

    def __call__(self, examples):
        batch = self.collator(examples)
        self.tokens += int(batch["attention_mask"].sum())
        if "rejected_attention_mask" in batch:
            self.tokens += int(batch["rejected_attention_mask"].sum())
        self.loss_tokens += int((batch["labels"] != -100).sum())
        return batch


def labelled_token_loss(hidden: torch.Tensor, labels: torch.Tensor, output_layer, *, offset: int = 0,
                        weights: torch.Tensor | None = None, count=None,
                        label_smoothing: float = 0.0, focal_gamma: float = 0.0) -> tuple[torch.Tensor, torch.Tensor]:
    """Next-token cross-entropy at the tokens with labels, and the logits there.

    ``hidden``: the decoder's states for positions ``offset`` onward; ``output_layer`` maps states to logits, and
    runs only at the labelled tokens (the assistant tokens are a small part of each example). Each token's loss is
    multiplied by its ``weights`` entry when given; the sum is divided by ``count`` (the Trainer's number of
    labelled tokens in the whole optimizer step), else by the labelled tokens here. ``label_smoothing`` moves that
    much of each target's probability evenly onto the whole vocabulary; ``focal_gamma`` multiplies each token's
    loss by (1 - p) ** focal_gamma, p the probability of its target (``focal_factor``).
    """
    logits, targets, has_loss = labelled_logits(hidden, labels, output_layer, offset=offset)
    per_token = F.cross_entropy(logits, targets, reduction="none", label_smoothing=label_smoothing)
    if focal_gamma:
        per_token = per_token * focal_factor(logits, targets, focal_gamma)
    if weights is not None:
        per_token = per_token * weights[:, offset + 1:][has_loss]
    count = count if count is not None else has_loss.sum()
    return per_token.sum() / torch.as_tensor(count, device=per_token.device).clamp(min=1), logits


def focal_factor(logits: torch.Tensor, targets: torch.Tensor, gamma: float) -> torch.Tensor:
    """Focal loss's factor (1 - p) ** gamma per row of ``logits``, p the probability of that row's target; the
    gradient flows through it, as in the focal loss itself."""
    target_logprob = torch.log_softmax(logits, dim=-1).gather(-1, targets.unsqueeze(-1)).squeeze(-1)
    return (-torch.expm1(target_logprob)).clamp(min=0) ** gamma


def labelled_targets(labels: torch.Tensor, offset: int = 0) -> tuple[torch.Tensor, torch.Tensor]:
    """The labels that the states from position ``offset`` onward predict (each the next token's), and where
    they are among the positions ``offset + 1`` onward."""
    targets = labels[:, offset + 1:]
    has_loss = targets != -100
    return targets[has_loss], has_loss


def labelled_logits(hidden: torch.Tensor, labels: torch.Tensor, output_layer, *, offset: int = 0):
    """The logits at the tokens with labels (``output_layer`` runs there only), the labels they predict, and
    where those are among the positions ``offset + 1`` onward (``labelled_targets``)."""
    targets, has_loss = labelled_targets(labels, offset)
    return output_layer(hidden[:, :-1][has_loss]).float(), targets, has_loss


class WeightedLossSFTTrainer(SFTTrainer):
    """``SFTTrainer`` on whole examples whose loss weighs each token by the batch's ``loss_weights``
    (``decision_token_weight``, ``argument_key_weight``), for profiles without prefix sharing.

    It runs the decoder and then the output layer at the labelled tokens only, rather than the model's own loss,
    which cannot weigh tokens (and which Unsloth replaces by a fused kernel). NEFTune noise comes from the
    Trainer's own hook on the input embeddings. Like ``PrefixSharingSFTTrainer`` it calls the unwrapped model, so
    it is meant for one process. It also trains with ``label_smoothing`` and ``focal_loss_gamma``, which the model's own
    loss does not offer.
    """

    def __init__(self, *args, label_smoothing: float = 0.0, focal_loss_gamma: float = 0.0, **kwargs):
        super().__init__(*args, **kwargs)
        self.label_smoothing = label_smoothing
        self.focal_loss_gamma = focal_loss_gamma

    def compute_loss(self, model, inputs, return_outputs=False, num_items_in_batch=None):
        causal_lm = self.accelerator.unwrap_model(model).get_base_model()
        hidden = causal_lm.model(input_ids=inputs["input_ids"], attention_mask=inputs["attention_mask"]).last_hidden_state
        loss, logits = labelled_token_loss(hidden, inputs["labels"], causal_lm.get_output_embeddings(),
                                           weights=inputs.get("loss_weights"), count=num_items_in_batch,
                                           label_smoothing=self.label_smoothing, focal_gamma=self.focal_loss_gamma)
        return (loss, {"logits": logits}) if return_outputs else loss


class PrefixSharingSFTTrainer(SFTTrainer):
    """``SFTTrainer`` whose forward pass reuses the KV cache of the shared tool-schema prefix."""

    def __init__(self, *args, prefix_length: int, refresh_steps: int = 1, bf16_autocast: bool = False,
                 example_attention: str = "sdpa", neftune_noise_alpha: float | None = None,
                 label_smoothing: float = 0.0, focal_loss_gamma: float = 0.0, odds_ratio_weight: float = 0.0,
                 **kwargs):
        super().__init__(*args, **kwargs)
        self.label_smoothing = label_smoothing
        self.focal_loss_gamma = focal_loss_gamma
        self.odds_ratio_weight = odds_ratio_weight
        self.odds_ratio_losses: list[float] = []
        # Not ``self.neftune_noise_alpha``: Trainer.train() would read that and hook the embeddings as well.
        self.example_noise_alpha = neftune_noise_alpha
        self.prefix_length = prefix_length
        self.refresh_steps = refresh_steps
        self.bf16_autocast = bf16_autocast
        self.example_attention = example_attention
        self._prefix_cache = None
        self._prefix_step = None
        self._output_weight = None

    def autocast(self, device: torch.device):
        """bf16 autocast with ``bf16_autocast``; without it, whatever autocast the caller runs under stays as it is
        (``torch.autocast(enabled=False)`` would switch an outer one off)."""
        if not self.bf16_autocast:
            return contextlib.nullcontext()
        return torch.autocast(device.type, dtype=torch.bfloat16)

    def train(self, *args, **kwargs):
        if not self.bf16_autocast:
            return super().train(*args, **kwargs)
        model = self.accelerator.unwrap_model(self.model)
        output = model.get_output_embeddings()
        if output.bias is None and not output.weight.requires_grad:
            self._output_weight = output.weight.detach().to(torch.bfloat16)
        try:
            with frozen_lora_base_weights_in_bf16(model), disable_input_dtype_casting(model):
                return super().train(*args, **kwargs)
        finally:
            self._output_weight = None

    def prefix_cache(self, decoder, input_ids):
        """The prefix's KV cache, computed at the first step and then every ``refresh_steps`` steps."""
        step = self.state.global_step
        if self._prefix_step is None or not 0 <= step - self._prefix_step < self.refresh_steps:
            with torch.no_grad(), self.autocast(input_ids.device):
                self._prefix_cache = decoder(input_ids=input_ids[:1, :self.prefix_length], use_cache=True).past_key_values
            self._prefix_step = step
        cache = copy.deepcopy(self._prefix_cache)  # the forward pass appends to the cache it is given
        cache.batch_repeat_interleave(input_ids.shape[0])
        return cache

    def example_hidden_states(self, decoder, input_ids, attention_mask, cache, noise: bool) -> torch.Tensor:
        """The decoder's states at the tokens after the shared prefix, attending to its KV ``cache``."""
        length, batch = self.prefix_length, input_ids.shape[0]
        positions = torch.arange(length, input_ids.shape[1], device=input_ids.device).expand(batch, -1)
        example = {"input_ids": input_ids[:, length:]}
        if self.example_noise_alpha is not None and noise:
            embeddings = decoder.get_input_embeddings()(example["input_ids"])
            example = {"inputs_embeds": neftune_noise(embeddings, self.example_noise_alpha, input_ids.shape[1])}
        return decoder(**example, attention_mask=attention_mask, position_ids=positions, past_key_values=cache,
                       use_cache=True).last_hidden_state

    def compute_loss(self, model, inputs, return_outputs=False, num_items_in_batch=None):
        causal_lm = self.accelerator.unwrap_model(model).get_base_model()
        decoder, lm_head = causal_lm.model, causal_lm.get_output_embeddings()
        input_ids, labels, length = inputs["input_ids"], inputs["labels"], self.prefix_length
        paired = bool(self.odds_ratio_weight) and "rejected_input_ids" in inputs
        # The prefix pass runs outside the example passes' attention kernel.
        caches = [self.prefix_cache(decoder, input_ids) for _ in range(1 + paired)]
        with self.autocast(input_ids.device), attention_kernel(causal_lm, self.example_attention):
            hidden = self.example_hidden_states(decoder, input_ids, inputs["attention_mask"], caches[0], model.training)
            output_layer = lm_head if self._output_weight is None else partial(F.linear, weight=self._output_weight)
            loss, logits = labelled_token_loss(hidden, labels, output_layer, offset=length,
                                               weights=inputs.get("loss_weights"), count=num_items_in_batch,
                                               label_smoothing=self.label_smoothing,
                                               focal_gamma=self.focal_loss_gamma)
            if paired:
                loss = loss + self.odds_ratio_weight * self.preference_loss(
                    decoder, output_layer, inputs, logits, caches[1], model.training)
        return (loss, {"logits": logits}) if return_outputs else loss

    def preference_loss(self, decoder, output_layer, inputs, chosen_logits, cache, noise: bool) -> torch.Tensor:
        """``odds_ratio_loss`` of the batch's right answer (its labelled ``chosen_logits``) over its wrong one,
        divided by the examples of an optimizer step so that it averages over them."""
        length = self.prefix_length
        rejected_hidden = self.example_hidden_states(decoder, inputs["rejected_input_ids"],
                                                     inputs["rejected_attention_mask"], cache, noise)
        rejected_logits, rejected_targets, _ = labelled_logits(rejected_hidden, inputs["rejected_labels"],
                                                               output_layer, offset=length)
        chosen = mean_label_logprob(chosen_logits, labelled_targets(inputs["labels"], length)[0])
        preference = odds_ratio_loss(chosen, mean_label_logprob(rejected_logits, rejected_targets))
        self.odds_ratio_losses.append(round(float(preference.detach()), 5))
        return preference / self.args.gradient_accumulation_steps


@contextlib.contextmanager
def frozen_lora_base_weights_in_bf16(model):
    """Hold the frozen weights of ``model``'s LoRA layers in bf16, and put the fp32 originals back afterwards.

    Under bf16 autocast a matmul with such a weight computes with its bf16 cast anyway; holding the cast
    saves making it again at every call.
    """
    originals = {}
    for module in model.modules():
        if isinstance(module, LoraLayer):
            weight = module.get_base_layer().weight
            if not weight.requires_grad and weight.dtype == torch.float32:
                originals[weight] = weight.data
                weight.data = weight.data.to(torch.bfloat16)
    try:
        yield
    finally:
        for weight, data in originals.items():
            weight.data = data


@contextlib.contextmanager
def attention_kernel(model, name: str):
    """Run ``model``'s forward passes with attention implementation ``name``, then restore its own.

    The kernel is looked up at each forward pass, so the backward pass keeps the one its forward used.
    """
    own = model.config._attn_implementation
    if name != own:
        model.set_attn_implementation(name)
    try:
        yield
    finally:
        if name != own:
            model.set_attn_implementation(own)


class TrainingLog(TrainerCallback):
    """Loss per step, tokens/s, peak memory and wall time, for the JSON training log."""

    def __init__(self, counter: TokenCounter):
        self.counter = counter
        self.steps: list[dict] = []
        self.started = time.perf_counter()

    def on_log(self, args, state, control, logs=None, **kwargs):
        if logs and "loss" in logs:
            elapsed = time.perf_counter() - self.started
            self.steps.append({
                "step": state.global_step,
                "loss": round(float(logs["loss"]), 5),
                "learning_rate": logs.get("learning_rate"),
                "elapsed_s": round(elapsed, 2),
                "tokens_per_s": round(self.counter.tokens / elapsed, 1),
            })


def peak_memory_mb() -> dict:
    peak = {"cpu_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)}
    if torch.cuda.is_available():
        peak["gpu_allocated_mb"] = round(torch.cuda.max_memory_allocated() / 2**20, 1)
    return peak


def mixed_precision() -> dict[str, bool]:
    """The Trainer's precision flags: bf16 on GPUs that have it, fp16 on older ones (a T4), fp32 on CPU.

    On CPU the prefix-sharing trainer runs in fp32 whatever the flags say: it calls the decoder
    directly, outside the autocast the Trainer wraps around the model's forward. The plain trainer
    would autocast to bf16, which CPUs without bf16 instructions emulate; fp32 keeps both the same.
    """
    if not torch.cuda.is_available():
        return {"bf16": False, "fp16": False}
    bf16 = torch.cuda.is_bf16_supported()
    return {"bf16": bf16, "fp16": not bf16}


def loraplus_optimizer(model, config: SFTConfig, lr_ratio: float):
    """The optimizer the Trainer would build, with LoRA+ groups: the B matrices at ``lr_ratio`` x the learning rate.

    The scheduler the Trainer builds on it scales every group alike, so the ratio holds through warmup and decay.
    """
    from peft.optimizers import create_loraplus_optimizer

    optimizer_cls, optimizer_kwargs = Trainer.get_optimizer_cls_and_kwargs(config, model)
    learning_rate = optimizer_kwargs.pop("lr")
    return create_loraplus_optimizer(model, optimizer_cls, lr=learning_rate, loraplus_lr_ratio=lr_ratio,
                                     loraplus_weight_decay=config.weight_decay, **optimizer_kwargs)


def trl_loss_runs_here() -> bool:
    """Whether TRL's own SFT loss can run on this machine: it computes it with a Triton kernel, and Triton comes
    with the CUDA builds of PyTorch only. Elsewhere (the CPU build) ``WeightedLossSFTTrainer`` computes the same
    mean cross-entropy over the assistant tokens, with every weight 1."""
    return importlib.util.find_spec("triton") is not None


def build_trainer(model, tokenizer, rows: list[dict], profile, output_dir: str, *, prefix_length: int | None):
    from datasets import Dataset

    counter = TokenCounter(LossWeightCollator(DataCollatorForLanguageModeling(pad_token_id=tokenizer.pad_token_id)))
    config = SFTConfig(
        output_dir=output_dir,
        max_steps=profile.max_steps,
        per_device_train_batch_size=profile.batch_size,
        gradient_accumulation_steps=profile.gradient_accumulation_steps,
        learning_rate=profile.learning_rate,
        warmup_steps=profile.warmup_steps,
        lr_scheduler_type=profile.lr_scheduler_type,
        weight_decay=profile.weight_decay,
        adam_beta2=profile.adam_beta2,
        logging_steps=1,
        save_strategy="no",
        report_to="none",
        seed=profile.seed,
        **mixed_precision(),
        gradient_checkpointing=profile.gradient_checkpointing and prefix_length is None,
        dataset_kwargs={"skip_prepare_dataset": True},
        remove_unused_columns=False,
        dataloader_num_workers=0,
        train_sampling_strategy=profile.train_sampling_strategy,
        length_column_name="length",
        use_cpu=not torch.cuda.is_available(),
        # The prefix-sharing trainer adds the noise itself, after the prefix; the Trainer's hook would noise both passes.
        neftune_noise_alpha=profile.neftune_noise_alpha if prefix_length is None else None,
    )
    kwargs = dict(model=model, args=config, train_dataset=Dataset.from_list(rows), processing_class=tokenizer,
                  data_collator=counter)
    if profile.loraplus_lr_ratio != 1.0:
        kwargs["optimizers"] = (loraplus_optimizer(model, config, profile.loraplus_lr_ratio), None)
    if prefix_length is None:
        trainer = (WeightedLossSFTTrainer(**kwargs, label_smoothing=profile.label_smoothing,
                                          focal_loss_gamma=profile.focal_loss_gamma)
                   if profile.reshapes_token_loss or not trl_loss_runs_here() else SFTTrainer(**kwargs))
    else:
        trainer = PrefixSharingSFTTrainer(**kwargs, prefix_length=prefix_length,
                                          refresh_steps=profile.prefix_refresh_steps,
                                          bf16_autocast=profile.bf16_autocast,
                                          example_attention=profile.example_attention,
                                          neftune_noise_alpha=profile.neftune_noise_alpha,
                                          label_smoothing=profile.label_smoothing,
                                          focal_loss_gamma=profile.focal_loss_gamma,
                                          odds_ratio_weight=profile.odds_ratio_weight)
    if profile.weight_average_decay is not None:
        trainer.add_callback(WeightAveraging(profile.weight_average_decay))
    log = TrainingLog(counter)
    trainer.add_callback(log)
    return trainer, log


def train(model, tokenizer, examples: list[dict], profile, output_dir: str, backend: str) -> dict:
    """Fine-tune and return the training log (the adapter is saved by the caller)."""
    if profile.prefix_refresh_steps < 1 or (profile.prefix_refresh_steps > 1 and not profile.prefix_sharing):
        raise ValueError("prefix_refresh_steps must be at least 1, and above 1 only with prefix_sharing")
    if profile.bf16_autocast not in (True, False, "auto"):
        raise ValueError(f"bf16_autocast must be true, false or 'auto', not {profile.bf16_autocast!r}")
    if profile.example_attention not in ("sdpa", "eager", "auto"):
        raise ValueError(f"example_attention must be 'sdpa', 'eager' or 'auto', not {profile.example_attention!r}")
    if (profile.bf16_autocast is True or profile.example_attention == "eager") and not profile.prefix_sharing:
        raise ValueError("bf16_autocast and example_attention apply to the prefix-sharing trainer: "
                         "set prefix_sharing, or leave them at false and 'sdpa' (or 'auto')")
    if profile.neftune_noise_alpha is not None and not profile.neftune_noise_alpha > 0:
        raise ValueError(f"neftune_noise_alpha must be above 0, or null for no noise, not {profile.neftune_noise_alpha!r}")
    if not 0 <= profile.label_smoothing < 1:
        raise ValueError(f"label_smoothing must be at least 0 and below 1, not {profile.label_smoothing!r}")
    if profile.focal_loss_gamma < 0:
        raise ValueError(f"focal_loss_gamma must be at least 0, not {profile.focal_loss_gamma!r}")
    if profile.odds_ratio_weight < 0 or (profile.odds_ratio_weight and not (profile.prefix_sharing
                                                                          and profile.batch_size == 1)):
        raise ValueError(f"odds_ratio_weight must be at least 0, and above 0 only with prefix_sharing and "
                         f"batch_size 1, not {profile.odds_ratio_weight!r}")
    if (profile.computes_own_loss or not trl_loss_runs_here()) and int(os.environ.get("WORLD_SIZE", "1")) > 1:
        raise ValueError("prefix_sharing, decision_token_weight, argument_key_weight, label_smoothing and focal_loss_gamma, "
                         "and any profile "
                         "without Triton (the CPU build of PyTorch), compute the loss on the unwrapped model, which skips "
                         "the gradient sync of several processes: under `accelerate launch` use GPUs and a profile "
                         "without them, such as gpu")
    cpu = cpu_description()
    profile = resolve_kernels(profile, cpu["vector_extensions"], torch.cuda.is_available())
    rows = tokenize_examples(tokenizer, examples, profile.max_length, profile.decision_token_weight,
                             profile.argument_key_weight, profile.seed if profile.odds_ratio_weight else None)
    prefix_length = None
    if profile.prefix_sharing:
        prefix = shared_prefix_ids(tokenizer, examples[0].get("tools"))
        check_shared_prefix(rows, prefix)
        prefix_length = len(prefix)
    trainer, log = build_trainer(model, tokenizer, rows, profile, output_dir, prefix_length=prefix_length)
    started = time.perf_counter()
    result = trainer.train()
    wall = time.perf_counter() - started
    return {
        "profile": profile.to_dict(),
        "backend": backend,
        "device": "cuda:" + torch.cuda.get_device_name(0) if torch.cuda.is_available() else platform.processor() or "cpu",
        "torch_threads": torch.get_num_threads(),
        "cpu": cpu,
        "n_train_examples": len(rows),
        "examples_seen": profile.max_steps * profile.examples_per_step,
        "shared_prefix_tokens": prefix_length,
        "wall_time_s": round(wall, 1),
        "tokens_processed": log.counter.tokens,
        "loss_tokens": log.counter.loss_tokens,
        "tokens_per_s": round(log.counter.tokens / wall, 1),
        "final_loss": log.steps[-1]["loss"] if log.steps else None,
        "train_loss": round(result.training_loss, 5),
        "peak_memory": peak_memory_mb(),
        **odds_ratio_summary(trainer, rows),
        "steps": log.steps,
    }


def odds_ratio_summary(trainer, rows: list[dict]) -> dict:
    """For a run with ``odds_ratio_weight``: how many examples had a wrong answer to pair with, how many pairs the
    run trained, and the mean odds-ratio loss over its first and last quarter of them (log 2 = 0.693 is no
    preference; lower prefers the right answer)."""
    losses = getattr(trainer, "odds_ratio_losses", [])
    if not losses:
        return {}
    quarter = max(1, len(losses) // 4)
    return {"odds_ratio": {
        "paired_examples": sum(row.get("rejected_input_ids") is not None for row in rows),
        "pairs_trained": len(losses),
        "mean_loss_first_quarter": round(sum(losses[:quarter]) / quarter, 4),
        "mean_loss_last_quarter": round(sum(losses[-quarter:]) / quarter, 4),
    }}


def save_json(path, data) -> None:
    with open(path, "w") as handle:
        json.dump(data, handle, indent=1)
        handle.write("\n")
