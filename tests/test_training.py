import math
import pytest

from agentic_tuning.training import backends, profiles
from agentic_tuning.training.profiles import PROFILES, default_profile_name, load_profile
from agentic_tuning.training.trainer import check_shared_prefix, mixed_precision, tokenize_examples


def test_every_profile_loads_with_its_own_settings():
    loaded = {name: load_profile(name) for name in PROFILES}
    assert loaded["smoke"].max_steps < loaded["cpu"].max_steps
    assert loaded["cpu"].base_model == "embedded" and loaded["cpu"].prefix_sharing
    assert loaded["gpu"].load_in_4bit and not loaded["gpu"].prefix_sharing
    assert loaded["gpu"].base_model.startswith("unsloth/")
    with pytest.raises(ValueError):
        load_profile("huge")


def test_overrides_leave_other_fields(monkeypatch):
    profile = load_profile("cpu").with_overrides(max_steps=3, learning_rate=None)
    assert profile.max_steps == 3 and profile.learning_rate == load_profile("cpu").learning_rate


@pytest.mark.parametrize("gpu,env,expected", [(False, None, "cpu"), (True, None, "gpu"), (True, "smoke", "smoke")])
def test_default_profile_follows_the_machine_and_the_environment(monkeypatch, gpu, env, expected):
    monkeypatch.setattr(profiles, "has_nvidia_gpu", lambda: gpu)
    if env:
        monkeypatch.setenv(profiles.PROFILE_ENV, env)
    else:
        monkeypatch.delenv(profiles.PROFILE_ENV, raising=False)
    assert default_profile_name() == expected


def test_unknown_profile_in_the_environment_is_an_error(monkeypatch):
    monkeypatch.setenv(profiles.PROFILE_ENV, "fast")
    with pytest.raises(ValueError):
        default_profile_name()


@pytest.mark.parametrize("gpu,installed,requested,expected", [
    (False, False, "auto", "peft"),
    (False, True, "auto", "peft"),
    (True, False, "auto", "peft"),
    (True, True, "auto", "unsloth"),
    (True, True, "peft", "peft"),
])
def test_backend_choice(monkeypatch, gpu, installed, requested, expected):
    monkeypatch.setattr(backends, "has_nvidia_gpu", lambda: gpu)
    monkeypatch.setattr(backends, "unsloth_installed", lambda: installed)
    assert backends.choose_backend(requested) == expected


def test_a_prefix_sharing_profile_trains_with_peft_even_where_unsloth_could_run(monkeypatch):
    monkeypatch.setattr(backends, "has_nvidia_gpu", lambda: True)
    monkeypatch.setattr(backends, "unsloth_installed", lambda: True)
    sharing, whole = load_profile("cpu"), load_profile("gpu")
    assert sharing.prefix_sharing and not whole.prefix_sharing
    assert backends.choose_backend("auto", sharing) == "peft"
    assert backends.choose_backend("auto", whole) == "unsloth"
    with pytest.raises(ValueError, match="prefix_sharing"):
        backends.choose_backend("unsloth", sharing)


def test_a_profile_with_its_own_lora_start_trains_with_peft_even_where_unsloth_could_run(monkeypatch):
    monkeypatch.setattr(backends, "has_nvidia_gpu", lambda: True)
    monkeypatch.setattr(backends, "unsloth_installed", lambda: True)
    pissa = load_profile("gpu").with_overrides(lora_init="pissa")
    assert backends.choose_backend("auto", pissa) == "peft"
    with pytest.raises(ValueError, match="starts its LoRA weights with 'pissa'"):
        backends.choose_backend("unsloth", pissa)


def test_an_unknown_lora_start_is_refused_before_any_weights_load():
    with pytest.raises(ValueError, match="lora_init must be one of"):
        backends.load_peft(load_profile("smoke").with_overrides(lora_init="svd"))


def test_the_training_command_imports_no_trainer_library_before_it_knows_the_backend():
    """Unsloth must be imported before trl, transformers and peft to patch them."""
    import subprocess
    import sys

    probe = "import sys, agentic_tuning.train; print(sorted({'trl', 'transformers', 'peft'} & set(sys.modules)))"
    imported = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    assert imported.strip() == "[]"


def test_unsloth_without_a_gpu_is_refused(monkeypatch):
    monkeypatch.setattr(backends, "has_nvidia_gpu", lambda: False)
    with pytest.raises(RuntimeError, match="NVIDIA GPU"):
        backends.choose_backend("unsloth")


def test_unsloth_is_not_imported_by_the_library():
    import sys

    import agentic_tuning.train  # noqa: F401

    assert "unsloth" not in sys.modules


def test_training_rows_share_the_prefix_and_carry_loss_only_after_it(tokenizer, tools):
    from agentic_tuning.data import build_split
    from agentic_tuning.generation import shared_prefix_ids

    examples = build_split("train", 12, seed=1)
    rows = tokenize_examples(tokenizer, examples, max_length=4096)
    prefix = shared_prefix_ids(tokenizer, tools)
    check_shared_prefix(rows, prefix)
    assert all(row["length"] == len(row["input_ids"]) == len(row["labels"]) for row in rows)
    broken = [{**rows[0], "labels": [rows[0]["input_ids"][0]] + rows[0]["labels"][1:]}]
    with pytest.raises(ValueError, match="no loss"):
        check_shared_prefix(broken, prefix)


@pytest.mark.model
def test_smoke_training_updates_the_adapter_and_saves_a_loadable_one(tmp_path):
    import math

    from safetensors.torch import load_file

    from agentic_tuning import train
    from agentic_tuning.models import is_adapter_dir, load_model
    from agentic_tuning.paths import REPO_ROOT
    from agentic_tuning.provenance import cpu_description

    log = train.run("smoke", out=str(tmp_path), max_steps=6)
    assert log["backend"] == "peft" and len(log["steps"]) == 6
    assert all(math.isfinite(step["loss"]) and step["loss"] > 0 for step in log["steps"])
    weights = load_file(tmp_path / "adapter" / "adapter_model.safetensors")
    lora_b = [w for name, w in weights.items() if "lora_B" in name]
    assert lora_b and any(float(w.abs().sum()) > 0 for w in lora_b), "LoRA B starts at zero; training must move it"
    assert log["tokens_per_s"] > 0 and log["peak_memory"]["cpu_rss_mb"] > 0
    assert log["cpu"] == cpu_description()
    assert is_adapter_dir(tmp_path / "adapter") and (tmp_path / "loss.png").exists()
    for name in ("README.md", "adapter_config.json", "tokenizer_config.json"):
        assert str(REPO_ROOT) not in (tmp_path / "adapter" / name).read_text(), f"{name} records a path of this machine"
    loaded = load_model(str(tmp_path / "adapter"), merge_adapter=True)
    assert loaded.tokenizer.chat_template.startswith("{%- if messages[0].role == 'system' %}")


@pytest.mark.model
def test_lora_init_does_not_depend_on_earlier_draws_from_the_generator():
    """A first load that converts the embedded GGUF draws random numbers; the adapter must start the same."""
    import torch

    from agentic_tuning.training.backends import load_peft

    profile = load_profile("smoke")
    initial = []
    for draws in (0, 1000):
        torch.rand(draws)
        model, _ = load_peft(profile)
        initial.append({name: p.detach().clone() for name, p in model.named_parameters() if "lora_A" in name})
    assert initial[0].keys() == initial[1].keys() and initial[0]
    assert all(torch.equal(initial[0][name], initial[1][name]) for name in initial[0])


@pytest.mark.model
def test_a_pissa_start_is_saved_as_a_plain_lora_of_twice_the_rank_that_computes_the_same_on_the_original_weights(
        tmp_path):
    import json

    import torch

    from agentic_tuning import train
    from agentic_tuning.models import load_model
    from agentic_tuning.training.backends import load_peft

    profile = load_profile("smoke").with_overrides(lora_init="pissa")
    model, tokenizer = load_peft(profile)
    model.save_pretrained(tmp_path / "initial_adapter")
    torch.manual_seed(0)
    with torch.no_grad():
        for name, parameter in model.named_parameters():
            if "lora_" in name:
                parameter.add_(0.01 * torch.randn_like(parameter))  # what training would do
    request = torch.tensor([tokenizer("Create a task to water the plants").input_ids])
    with torch.no_grad():
        trained = model(input_ids=request).logits
    train.save_adapter(model, tokenizer, tmp_path / "adapter", initial_adapter=tmp_path / "initial_adapter")
    config = json.loads((tmp_path / "adapter" / "adapter_config.json").read_text())
    assert config["r"] == 2 * profile.lora_r and config["init_lora_weights"] is True
    with torch.no_grad():
        reloaded = load_model(str(tmp_path / "adapter")).model(input_ids=request).logits
    assert torch.allclose(trained, reloaded, atol=1e-3)


@pytest.mark.parametrize("gpu, bf16_supported, expected", [
    (False, True, {"bf16": False, "fp16": False}),
    (True, True, {"bf16": True, "fp16": False}),
    (True, False, {"bf16": False, "fp16": True}),
])
def test_mixed_precision_is_fp32_on_cpu_and_the_best_half_precision_on_a_gpu(monkeypatch, gpu, bf16_supported,
                                                                              expected):
    import torch

    monkeypatch.setattr(torch.cuda, "is_available", lambda: gpu)
    monkeypatch.setattr(torch.cuda, "is_bf16_supported", lambda *args, **kwargs: bf16_supported)
    assert mixed_precision() == expected


@pytest.mark.model
def test_prefix_sharing_gives_the_plain_loss_and_reuses_the_prefix_within_a_step(tools, tmp_path):
    import torch

    from agentic_tuning.data import build_split
    from agentic_tuning.generation import shared_prefix_ids
    from agentic_tuning.training.backends import load_peft
    from agentic_tuning.training.trainer import build_trainer

    profile = load_profile("smoke")
    model, tokenizer = load_peft(profile)
    rows = tokenize_examples(tokenizer, build_split("train", 3, seed=2), profile.max_length)
    prefix_length = len(shared_prefix_ids(tokenizer, tools))
    trainer, _ = build_trainer(model, tokenizer, rows, profile, str(tmp_path), prefix_length=prefix_length)
    batch = trainer.data_collator(rows)
    with torch.no_grad():
        shared = trainer.compute_loss(model, batch)
        computed_at_step = trainer._prefix_cache
        again = trainer.compute_loss(model, batch)
        plain = model(input_ids=batch["input_ids"], attention_mask=batch["attention_mask"], labels=batch["labels"]).loss
    assert trainer._prefix_cache is computed_at_step, "one prefix pass per optimizer step"
    assert float(again) == float(shared)
    assert float(shared) == pytest.approx(float(plain), rel=1e-3)


def prefix_sharing_trainer(tools, output_dir, n_examples: int, **overrides):
    """The prefix-sharing trainer of the smoke profile with ``overrides``, on ``n_examples`` train examples,
    and those examples' tokenized rows (its ``model`` and ``processing_class`` are the LoRA model and tokenizer)."""
    from agentic_tuning.data import build_split
    from agentic_tuning.generation import shared_prefix_ids
    from agentic_tuning.training.backends import load_peft
    from agentic_tuning.training.trainer import build_trainer

    profile = load_profile("smoke").with_overrides(prefix_sharing=True, **overrides)
    model, tokenizer = load_peft(profile)
    rows = tokenize_examples(tokenizer, build_split("train", n_examples, seed=2), profile.max_length)
    trainer, _ = build_trainer(model, tokenizer, rows, profile, str(output_dir),
                               prefix_length=len(shared_prefix_ids(tokenizer, tools)))
    return trainer, rows


@pytest.mark.model
def test_prefix_refresh_steps_recomputes_the_prefix_every_that_many_steps(tools, tmp_path):
    import torch

    trainer, rows = prefix_sharing_trainer(tools, tmp_path, 1, prefix_refresh_steps=2)
    model, batch = trainer.model, trainer.data_collator(rows)
    caches = []
    with torch.no_grad():
        for step in (0, 1, 2, 3, 0):
            trainer.state.global_step = step
            trainer.compute_loss(model, batch)
            caches.append(trainer._prefix_cache)
    assert caches[1] is caches[0] and caches[3] is caches[2], "reused for the next step"
    assert caches[2] is not caches[0], "recomputed after two steps"
    assert caches[4] is not caches[3], "recomputed when a new training run starts at step 0"


@pytest.mark.model
def test_bf16_autocast_and_eager_example_attention_keep_the_loss(tools, tmp_path):
    import torch

    def loss_and_kernels(**overrides):
        trainer, rows = prefix_sharing_trainer(tools, tmp_path, 3, **overrides)
        model = trainer.model
        seen = []
        attention = model.get_base_model().model.layers[0].self_attn
        hook = attention.register_forward_pre_hook(lambda module, args: seen.append(
            (module.config._attn_implementation, torch.is_autocast_enabled("cpu"))))
        with torch.no_grad():
            loss = float(trainer.compute_loss(model, trainer.data_collator(rows)))
        hook.remove()
        return loss, seen, model.config._attn_implementation

    plain, plain_seen, _ = loss_and_kernels()
    assert set(plain_seen) == {("sdpa", False)}
    eager, eager_seen, restored = loss_and_kernels(example_attention="eager")
    assert eager_seen == [("sdpa", False), ("eager", False)], "the prefix pass keeps sdpa"
    assert restored == "sdpa"
    assert eager == pytest.approx(plain, rel=1e-4)
    bf16, bf16_seen, _ = loss_and_kernels(bf16_autocast=True)
    assert set(bf16_seen) == {("sdpa", True)}
    assert bf16 != plain and bf16 == pytest.approx(plain, rel=0.05)


def test_bf16_autocast_and_example_attention_need_prefix_sharing_and_a_known_kernel(tmp_path):
    from agentic_tuning.training.trainer import train

    for overrides, message in (({"bf16_autocast": True}, "prefix-sharing"),
                               ({"example_attention": "eager"}, "prefix-sharing"),
                               ({"example_attention": "flash", "prefix_sharing": True}, "example_attention"),
                               ({"bf16_autocast": "yes", "prefix_sharing": True}, "bf16_autocast")):
        profile = load_profile("smoke").with_overrides(**{"prefix_sharing": False, "decision_token_weight": 1.0,
                                                          "argument_key_weight": 1.0, **overrides})
        with pytest.raises(ValueError, match=message):
            train(None, None, [], profile, str(tmp_path), "peft")


def test_auto_kernels_turn_on_bf16_and_eager_only_on_a_cpu_with_bf16_instructions():
    from agentic_tuning.training.profiles import resolve_kernels

    def kernels(profile):
        return profile.bf16_autocast, profile.example_attention

    auto = load_profile("smoke").with_overrides(prefix_sharing=True, bf16_autocast="auto", example_attention="auto")
    assert kernels(resolve_kernels(auto, ["avx2", "avx512f", "avx512_bf16"], on_gpu=False)) == (True, "eager")
    assert kernels(resolve_kernels(auto, ["avx2", "amx_bf16"], on_gpu=False)) == (True, "eager")
    assert kernels(resolve_kernels(auto, ["avx2", "avx512f"], on_gpu=False)) == (False, "sdpa")
    assert kernels(resolve_kernels(auto, ["avx512_bf16"], on_gpu=True)) == (False, "sdpa")
    unshared = auto.with_overrides(prefix_sharing=False)
    assert kernels(resolve_kernels(unshared, ["avx512_bf16"], on_gpu=False)) == (False, "sdpa")
    fixed = auto.with_overrides(bf16_autocast=False, example_attention="eager")
    assert kernels(resolve_kernels(fixed, ["avx512_bf16"], on_gpu=False)) == (False, "eager"), "explicit values stay"


def test_neftune_noise_stays_within_alpha_over_the_root_of_length_times_width():
    import math

    import torch

    from agentic_tuning.training.trainer import neftune_noise

    torch.manual_seed(0)
    embeddings = torch.randn(1, 50, 64)
    noise = neftune_noise(embeddings, 5.0, 400) - embeddings
    bound = 5.0 / math.sqrt(400 * 64)
    assert noise.abs().max() <= bound * (1 + 1e-5)
    assert noise.abs().max() > 0.9 * bound, "uniform over the whole range"
    assert noise.std() == pytest.approx(bound / math.sqrt(3), rel=0.05)


@pytest.mark.model
def test_neftune_noises_only_the_tokens_after_the_prefix_and_only_while_training(tools, tmp_path):
    import torch

    from agentic_tuning.training.trainer import build_trainer

    trainer, rows = prefix_sharing_trainer(tools, tmp_path, 1, neftune_noise_alpha=15.0)
    model = trainer.model
    assert trainer.args.neftune_noise_alpha is None, "not the Trainer's hook, which would noise the prefix pass too"
    batch = trainer.data_collator(rows)
    embed = model.get_base_model().model.get_input_embeddings()
    seen = []
    hook = model.get_base_model().model.layers[0].register_forward_pre_hook(
        lambda module, args: seen.append(args[0].clone()))
    with torch.no_grad():
        model.train()
        noisy = float(trainer.compute_loss(model, batch))
        model.eval()
        clean = float(trainer.compute_loss(model, batch))
        prefix_embeddings = embed(batch["input_ids"][:, :trainer.prefix_length])
        example_embeddings = embed(batch["input_ids"][:, trainer.prefix_length:])
    hook.remove()
    prefix, noisy_example, clean_example = seen  # one prefix pass per step, while training, for both example passes
    assert torch.equal(prefix, prefix_embeddings), "no noise on the shared prefix"
    assert torch.equal(clean_example, example_embeddings), "no noise outside training"
    difference = (noisy_example - example_embeddings).abs()
    assert 0 < difference.max() <= 15.0 / (batch["input_ids"].shape[1] * embed.embedding_dim) ** 0.5 * 1.001
    assert noisy != clean
    profile = load_profile("smoke").with_overrides(neftune_noise_alpha=15.0)
    unshared, _ = build_trainer(model, trainer.processing_class, rows, profile, str(tmp_path), prefix_length=None)
    assert unshared.args.neftune_noise_alpha == 15.0, "the plain trainer uses the Trainer's own hook"


@pytest.mark.model
def test_a_training_step_with_neftune_noises_the_example_tokens_once_and_the_prefix_not_at_all(tools, tmp_path):
    import torch

    trainer, rows = prefix_sharing_trainer(tools, tmp_path, 1, neftune_noise_alpha=15.0, max_steps=1,
                                           batch_size=1, gradient_accumulation_steps=1)
    decoder = trainer.model.get_base_model().model
    seen = []
    hook = decoder.layers[0].register_forward_pre_hook(lambda module, args: seen.append(args[0].detach().clone()))
    trainer.train()
    hook.remove()
    ids, length = torch.tensor([rows[0]["input_ids"]]), trainer.prefix_length
    embed = decoder.get_input_embeddings()  # frozen: training left it as it was
    with torch.no_grad():
        prefix_embeddings, example_embeddings = embed(ids[:, :length]), embed(ids[:, length:])
    prefix, example = seen
    assert torch.equal(prefix, prefix_embeddings), "no noise on the shared prefix"
    difference = (example - example_embeddings).abs()
    assert 0 < difference.max() <= 15.0 / (ids.shape[1] * embed.embedding_dim) ** 0.5 * 1.001, "one draw, at the bound"


def test_label_smoothing_must_leave_the_target_some_probability(tmp_path):
    from agentic_tuning.training.trainer import train

    for smoothing in (-0.1, 1.0):
        profile = load_profile("smoke").with_overrides(label_smoothing=smoothing)
        with pytest.raises(ValueError, match="label_smoothing"):
            train(None, None, [], profile, str(tmp_path), "peft")


def test_focal_loss_gamma_must_not_be_negative(tmp_path):
    from agentic_tuning.training.trainer import train

    profile = load_profile("smoke").with_overrides(focal_loss_gamma=-1.0)
    with pytest.raises(ValueError, match="focal_loss_gamma"):
        train(None, None, [], profile, str(tmp_path), "peft")


@pytest.mark.parametrize("gamma", [0.0, 1.0, 2.0])
def test_focal_loss_scales_each_token_by_one_minus_its_target_probability(gamma):
    import torch

    from agentic_tuning.training.trainer import labelled_token_loss

    # The states are the logits themselves (the output layer is the identity), over a vocabulary of 3. Labels at
    # positions 1 and 2 (token 0 both times) are predicted by the states at positions 0 and 1; position 2's state,
    # like any last state, predicts nothing.
    states = torch.tensor([[[4.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 9.0]]])
    labels = torch.tensor([[-100, 0, 0]])
    target_probability = torch.softmax(states[0, :2], dim=-1)[:, 0]
    expected = (-torch.log(target_probability) * (1 - target_probability) ** gamma).mean()
    loss, _ = labelled_token_loss(states, labels, lambda state: state, focal_gamma=gamma)
    plain, _ = labelled_token_loss(states, labels, lambda state: state)
    assert float(loss) == pytest.approx(float(expected), rel=1e-5)
    assert (float(loss) < float(plain)) == (gamma > 0), "focal loss counts every uncertain token less"


def test_a_focal_loss_profile_computes_its_own_loss():
    profile = load_profile("smoke").with_overrides(prefix_sharing=False, decision_token_weight=1.0,
                                                   argument_key_weight=1.0)
    assert not profile.reshapes_token_loss
    assert profile.with_overrides(focal_loss_gamma=1.0).reshapes_token_loss


def test_neftune_noise_alpha_must_be_positive(tmp_path):
    from agentic_tuning.training.trainer import train

    for alpha in (0.0, -5.0):
        profile = load_profile("smoke").with_overrides(neftune_noise_alpha=alpha)
        with pytest.raises(ValueError, match="neftune_noise_alpha"):
            train(None, None, [], profile, str(tmp_path), "peft")


def _smoke_trainer(tmp_path, **overrides):
    """A plain (no prefix sharing) trainer of the smoke profile with ``overrides``, on one train example."""
    from agentic_tuning.data import build_split
    from agentic_tuning.training.backends import load_peft
    from agentic_tuning.training.trainer import build_trainer

    profile = load_profile("smoke").with_overrides(**overrides)
    model, tokenizer = load_peft(profile)
    rows = tokenize_examples(tokenizer, build_split("train", 1, seed=2), profile.max_length)
    trainer, _ = build_trainer(model, tokenizer, rows, profile, str(tmp_path), prefix_length=None)
    return trainer, profile


def _optimizer_setting_by_parameter(trainer, setting: str) -> dict[str, float]:
    names = {id(p): name for name, p in trainer.model.named_parameters()}
    return {names[id(p)]: group[setting] for group in trainer.optimizer.param_groups for p in group["params"]}


@pytest.mark.model
@pytest.mark.parametrize("schedule, quarter_way", [("linear", 0.75), ("cosine", (1 + math.cos(math.pi / 4)) / 2)])
def test_the_profile_chooses_the_learning_rate_schedule(tmp_path, schedule, quarter_way):
    trainer, profile = _smoke_trainer(tmp_path, lr_scheduler_type=schedule, max_steps=8)
    trainer.create_optimizer_and_scheduler(num_training_steps=profile.max_steps)
    for _ in range(2):
        trainer.optimizer.step()
        trainer.lr_scheduler.step()
    assert trainer.lr_scheduler.get_last_lr()[0] == pytest.approx(profile.learning_rate * quarter_way)


@pytest.mark.model
@pytest.mark.parametrize("field, value, setting", [("weight_decay", 0.0, "weight_decay"), ("weight_decay", 1.0, "weight_decay"),
                                                   ("adam_beta2", 0.999, "betas"), ("adam_beta2", 0.99, "betas")])
def test_the_profile_optimizer_settings_reach_every_lora_weight(tmp_path, field, value, setting):
    trainer, _ = _smoke_trainer(tmp_path, **{field: value})
    trainer.create_optimizer()
    settings = _optimizer_setting_by_parameter(trainer, setting)
    lora = {name: chosen[1] if setting == "betas" else chosen for name, chosen in settings.items() if "lora_" in name}
    assert lora and set(lora.values()) == {value}


@pytest.mark.model
def test_loraplus_gives_the_b_matrices_ratio_times_the_learning_rate(tmp_path):
    def learning_rates(ratio):
        trainer, profile = _smoke_trainer(tmp_path, loraplus_lr_ratio=ratio)
        trainer.create_optimizer()
        return profile.learning_rate, _optimizer_setting_by_parameter(trainer, "lr")

    learning_rate, plain = learning_rates(1.0)
    assert plain and set(plain.values()) == {learning_rate}
    _, loraplus = learning_rates(16.0)
    assert loraplus.keys() == plain.keys()
    for name, rate in loraplus.items():
        assert rate == pytest.approx(learning_rate * (16.0 if "lora_B" in name else 1.0)), name


def test_prefix_refresh_steps_needs_prefix_sharing(tmp_path):
    from agentic_tuning.training.trainer import train

    for refresh, sharing in ((2, False), (0, True)):
        profile = load_profile("smoke").with_overrides(prefix_refresh_steps=refresh, prefix_sharing=sharing,
                                                       decision_token_weight=1.0, argument_key_weight=1.0)
        with pytest.raises(ValueError, match="prefix_refresh_steps"):
            train(None, None, [], profile, str(tmp_path), "peft")


@pytest.mark.model
@pytest.mark.parametrize(("label_smoothing", "focal_loss_gamma"), [(0.0, 0.0), (0.1, 0.0), (0.0, 1.0)])
@pytest.mark.parametrize("prefix_sharing", [True, False])
def test_decision_token_weight_scales_the_loss_of_decision_tokens_only(tools, tmp_path, prefix_sharing, label_smoothing,
                                                                      focal_loss_gamma):
    import torch
    import torch.nn.functional as F

    from agentic_tuning.data import build_split
    from agentic_tuning.generation import shared_prefix_ids
    from agentic_tuning.training.backends import load_peft
    from agentic_tuning.training.trainer import PrefixSharingSFTTrainer, WeightedLossSFTTrainer, build_trainer

    profile = load_profile("smoke").with_overrides(decision_token_weight=4.0, prefix_sharing=prefix_sharing,
                                                   label_smoothing=label_smoothing, focal_loss_gamma=focal_loss_gamma)
    model, tokenizer = load_peft(profile)
    rows = tokenize_examples(tokenizer, build_split("train", 2, seed=2), profile.max_length, 4.0)
    assert {w for row in rows for w in row["loss_weights"]} == {1.0, 4.0}
    prefix_length = len(shared_prefix_ids(tokenizer, tools)) if prefix_sharing else None
    trainer, _ = build_trainer(model, tokenizer, rows, profile, str(tmp_path), prefix_length=prefix_length)
    assert isinstance(trainer, PrefixSharingSFTTrainer if prefix_sharing else WeightedLossSFTTrainer)
    batch = trainer.data_collator([dict(row) for row in rows])
    with torch.no_grad():
        weighted = trainer.compute_loss(model, batch)
        logits = model(input_ids=batch["input_ids"], attention_mask=batch["attention_mask"]).logits[:, :-1]
    labels, weights = batch["labels"][:, 1:], batch["loss_weights"][:, 1:]
    per_token = F.cross_entropy(logits.reshape(-1, logits.shape[-1]).float(), labels.reshape(-1), reduction="none",
                                ignore_index=-100, label_smoothing=label_smoothing)
    target_probability = torch.exp(-F.cross_entropy(logits.reshape(-1, logits.shape[-1]).float(), labels.reshape(-1),
                                                    reduction="none", ignore_index=-100))
    per_token = per_token * (1 - target_probability) ** focal_loss_gamma
    expected = (per_token * weights.reshape(-1)).sum() / (labels != -100).sum()
    assert float(weighted) == pytest.approx(float(expected), rel=1e-3)


def test_argument_keys_get_their_own_weight_and_decision_tokens_keep_theirs(tokenizer):
    from agentic_tuning.chat_template import argument_key_tokens, decision_tokens
    from agentic_tuning.data import build_split

    examples = build_split("train", 4, seed=2)
    rows = tokenize_examples(tokenizer, examples, 4096, decision_token_weight=5.0, argument_key_weight=3.0)
    for example, row in zip(examples, rows):
        plain = {"input_ids": row["input_ids"], "labels": row["labels"]}
        args = (tokenizer, example["messages"], example["tools"], plain)
        for weight, decision, key in zip(row["loss_weights"], decision_tokens(*args), argument_key_tokens(*args)):
            assert weight == (5.0 if decision else 3.0 if key else 1.0)
    assert {w for row in rows for w in row["loss_weights"]} == {1.0, 3.0, 5.0}


@pytest.mark.parametrize("overrides", [{"prefix_sharing": True}, {"prefix_sharing": False, "decision_token_weight": 5.0},
                                       {"prefix_sharing": False, "argument_key_weight": 2.0},
                                       {"prefix_sharing": False, "label_smoothing": 0.1},
                                       {"prefix_sharing": False, "focal_loss_gamma": 1.0}])
def test_a_loss_computed_on_the_unwrapped_model_is_refused_under_several_processes(monkeypatch, overrides):
    from agentic_tuning.training.trainer import train

    monkeypatch.setenv("WORLD_SIZE", "2")
    with pytest.raises(ValueError, match="accelerate launch"):
        train(None, None, [], load_profile("smoke").with_overrides(**overrides), "unused", "peft")


@pytest.mark.parametrize("triton", [True, False])
def test_a_plain_profile_under_several_processes_needs_trl_loss(monkeypatch, triton):
    from agentic_tuning.training import trainer as trainer_module

    monkeypatch.setenv("WORLD_SIZE", "2")
    monkeypatch.setattr(trainer_module, "trl_loss_runs_here", lambda: triton)

    class PastTheChecks(Exception):
        pass

    def training_starts():
        raise PastTheChecks

    monkeypatch.setattr(trainer_module, "cpu_description", training_starts)
    plain = load_profile("smoke").with_overrides(prefix_sharing=False)
    with pytest.raises(PastTheChecks if triton else ValueError, match=None if triton else "without Triton"):
        trainer_module.train(None, None, [], plain, "unused", "peft")


@pytest.mark.model
def test_a_profile_without_weights_or_prefix_sharing_trains_with_the_plain_sft_trainer_where_trl_loss_runs(
        tmp_path, monkeypatch):
    from trl import SFTTrainer

    from agentic_tuning.training import trainer as trainer_module

    monkeypatch.setattr(trainer_module, "trl_loss_runs_here", lambda: True)
    trainer, profile = _smoke_trainer(tmp_path, prefix_sharing=False)
    assert profile.decision_token_weight == profile.argument_key_weight == 1.0
    assert type(trainer) is SFTTrainer
    monkeypatch.setattr(trainer_module, "trl_loss_runs_here", lambda: False)
    trainer, _ = _smoke_trainer(tmp_path, prefix_sharing=False)
    assert type(trainer) is trainer_module.WeightedLossSFTTrainer


@pytest.mark.model
def test_a_profile_without_weights_or_prefix_sharing_trains_on_this_machine(tmp_path):
    trainer, _ = _smoke_trainer(tmp_path, prefix_sharing=False, max_steps=1)
    assert math.isfinite(trainer.train().training_loss)


def test_training_log_records_the_commit_and_data_it_started_from(monkeypatch, tmp_path):
    """A commit made while a run trains must not be credited with that run."""
    import hashlib

    from agentic_tuning import train

    data = tmp_path / "train.jsonl"
    data.write_text('{"messages": []}\n')
    repository = {"head": "started-here"}
    monkeypatch.setattr(train, "git_commit", lambda: repository["head"])
    monkeypatch.setattr(train, "load_for_training", lambda profile, backend: (None, None))
    monkeypatch.setattr(train, "save_adapter", lambda model, tokenizer, folder, initial_adapter=None: None)
    monkeypatch.setattr("agentic_tuning.training.trainer.save_json", lambda path, log: None)
    monkeypatch.setattr("agentic_tuning.plots.plot_loss", lambda log, path: None)

    def fake_train(model, tokenizer, examples, profile, out, backend):
        data.write_text('{"messages": [], "edited": true}\n')
        repository["head"] = "committed-during-training"
        return {"examples_seen": 0, "wall_time_s": 0.0, "final_loss": None}

    monkeypatch.setattr("agentic_tuning.training.trainer.train", fake_train)
    started_sha = hashlib.sha256(b'{"messages": []}\n').hexdigest()
    log = train.run("smoke", backend="peft", data=str(data), out=str(tmp_path / "run"))
    assert log["git_commit"] == "started-here"
    assert log["data"]["sha256"] == started_sha


@pytest.mark.model
def test_training_under_bf16_holds_frozen_weights_in_bf16_with_the_same_losses_and_restores_them(tools, tmp_path,
                                                                                                   monkeypatch):
    import torch
    from transformers import Trainer

    from agentic_tuning.training.trainer import PrefixSharingSFTTrainer, frozen_lora_base_weights_in_bf16

    def train_two_steps():
        trainer, _ = prefix_sharing_trainer(tools, tmp_path, 4, bf16_autocast=True, example_attention="eager",
                                            max_steps=2, batch_size=1, gradient_accumulation_steps=2)
        q_proj = trainer.model.get_base_model().model.layers[0].self_attn.q_proj
        base = q_proj.base_layer.weight
        original = base.data.clone()
        seen = []
        hook = q_proj.register_forward_pre_hook(
            lambda module, args: seen.append((module.base_layer.weight.dtype, module.cast_input_dtype_enabled)))
        result = trainer.train()
        hook.remove()
        assert base.dtype == torch.float32 and torch.equal(base.data, original), "the fp32 originals come back"
        assert trainer._output_weight is None
        return result.training_loss, seen

    held, held_seen = train_two_steps()
    assert set(held_seen) == {(torch.bfloat16, False)}, "held in bf16, and PEFT's fp32 round trip off"
    monkeypatch.setattr(PrefixSharingSFTTrainer, "train", lambda self, *a, **k: Trainer.train(self, *a, **k))
    cast, cast_seen = train_two_steps()
    assert set(cast_seen) == {(torch.float32, True)}
    assert held == cast, "holding the casts changes no arithmetic"

    trainer, _ = prefix_sharing_trainer(tools, tmp_path, 1)
    trainable = [p for p in trainer.model.parameters() if p.requires_grad]
    with frozen_lora_base_weights_in_bf16(trainer.model):
        assert all(p.dtype == torch.float32 for p in trainable), "the LoRA weights the optimizer updates stay fp32"


def test_weight_averaging_ends_on_the_moving_average_of_the_trained_weights_only():
    import torch

    from agentic_tuning.training.weight_averaging import WeightAveraging

    model = torch.nn.Linear(2, 1)
    model.bias.requires_grad_(False)
    averaging = WeightAveraging(0.75)
    averaging.on_train_begin(None, None, None, model=model)
    start, expected = model.weight.detach().clone(), model.weight.detach().clone()
    with torch.no_grad():
        for shift in (1.0, 2.0, 4.0):
            model.weight.add_(shift)
            model.bias.add_(shift)
            averaging.on_step_end(None, None, None, model=model)
            expected = 0.75 * expected + 0.25 * model.weight
    bias = model.bias.detach().clone()
    averaging.on_train_end(None, None, None, model=model)
    assert torch.allclose(model.weight, expected) and not torch.allclose(model.weight, start + 7.0)
    assert torch.equal(model.bias, bias), "a frozen weight is not averaged"


@pytest.mark.parametrize("decay", [0.0, 1.0, -0.5])
def test_weight_average_decay_must_be_between_0_and_1(decay):
    from agentic_tuning.training.weight_averaging import WeightAveraging

    with pytest.raises(ValueError, match="weight_average_decay"):
        WeightAveraging(decay)


@pytest.mark.model
def test_a_profile_with_weight_average_decay_ends_training_on_the_average(tmp_path):
    import torch
    from transformers import TrainerCallback

    trainer, _ = _smoke_trainer(tmp_path, weight_average_decay=0.5, max_steps=3)
    trained = {name: p for name, p in trainer.model.named_parameters() if p.requires_grad}
    snapshots = []

    class Snapshots(TrainerCallback):
        def on_train_begin(self, args, state, control, **kwargs):
            snapshots.append({name: p.detach().clone() for name, p in trained.items()})

        on_step_end = on_train_begin

    trainer.add_callback(Snapshots())
    trainer.train()
    assert len(snapshots) == 4, "the weights before training and after each of the 3 steps"
    for name, parameter in trained.items():
        expected = snapshots[0][name]
        for snapshot in snapshots[1:]:
            expected = 0.5 * expected + 0.5 * snapshot[name]
        assert torch.allclose(parameter.detach(), expected, atol=1e-6), name
    assert any(not torch.equal(p.detach(), snapshots[-1][name]) for name, p in trained.items()), "not the last step's"


def test_the_odds_ratio_loss_is_log_2_without_preference_and_falls_as_the_right_answer_gets_likelier():
    import torch

    from agentic_tuning.training.trainer import log_odds, odds_ratio_loss

    even = odds_ratio_loss(torch.tensor(-1.0), torch.tensor(-1.0))
    assert float(even) == pytest.approx(math.log(2))
    assert float(odds_ratio_loss(torch.tensor(-0.1), torch.tensor(-3.0))) < float(even)
    assert float(odds_ratio_loss(torch.tensor(-3.0), torch.tensor(-0.1))) > float(even)
    assert float(log_odds(torch.log(torch.tensor(0.25)))) == pytest.approx(math.log(1 / 3))
    assert math.isfinite(float(log_odds(torch.tensor(0.0)))), "a certain answer still has finite odds"


def test_the_collator_adds_the_wrong_answer_of_a_batch_of_one_and_refuses_more():
    from trl.trainer.sft_trainer import DataCollatorForLanguageModeling

    from agentic_tuning.training.trainer import LossWeightCollator

    collator = LossWeightCollator(DataCollatorForLanguageModeling(pad_token_id=0))
    paired = {"input_ids": [5, 6, 7], "labels": [-100, 6, 7], "rejected_input_ids": [5, 6, 8, 9],
              "rejected_labels": [-100, 6, 8, 9]}
    batch = collator([dict(paired)])
    assert batch["rejected_input_ids"].tolist() == [[5, 6, 8, 9]]
    assert batch["rejected_labels"].tolist() == [[-100, 6, 8, 9]]
    assert batch["rejected_attention_mask"].tolist() == [[1, 1, 1, 1]]
    unpaired = {"input_ids": [5, 6], "labels": [-100, 6], "rejected_input_ids": None, "rejected_labels": None}
    assert "rejected_input_ids" not in collator([dict(unpaired)])
    with pytest.raises(ValueError, match="batches of one example"):
        collator([dict(paired), dict(unpaired)])


@pytest.mark.parametrize("overrides", [{"odds_ratio_weight": -1.0},
                                       {"odds_ratio_weight": 1.0, "batch_size": 2},
                                       {"odds_ratio_weight": 1.0, "batch_size": 1, "prefix_sharing": False}])
def test_the_odds_ratio_loss_needs_a_weight_of_at_least_0_prefix_sharing_and_batches_of_one(overrides):
    from agentic_tuning.training.trainer import train

    with pytest.raises(ValueError, match="odds_ratio_weight"):
        train(None, None, [], load_profile("smoke").with_overrides(**overrides), "unused", "peft")


@pytest.fixture
def unpaired_then_paired():
    """A training example without a wrong answer to pair with, then one with (a parallel request)."""
    from agentic_tuning.data import build_split
    from agentic_tuning.data.rejected_calls import rejected_answer

    examples = build_split("train", 40, seed=2)
    return [next(example for example in examples if rejected_answer(example) is None),
            next(example for example in examples if example["category"] == "parallel")]


def test_every_row_carries_the_wrong_answer_columns_so_the_dataset_keeps_them(tokenizer, unpaired_then_paired):
    from datasets import Dataset

    rows = tokenize_examples(tokenizer, unpaired_then_paired, 4096, rejected_seed=0)
    assert rows[0]["rejected_input_ids"] is None and rows[1]["rejected_input_ids"] is not None
    assert len(rows[1]["rejected_input_ids"]) < len(rows[1]["input_ids"]), "the wrong answer leaves the second call out"
    assert {"rejected_input_ids", "rejected_labels"} <= set(Dataset.from_list(rows).column_names)
    assert "rejected_input_ids" not in tokenize_examples(tokenizer, unpaired_then_paired, 4096)[1]


@pytest.mark.model
def test_the_odds_ratio_loss_is_added_to_the_supervised_loss_of_a_paired_example(tools, tmp_path, unpaired_then_paired):
    import torch

    from agentic_tuning.generation import shared_prefix_ids
    from agentic_tuning.training.backends import load_peft
    from agentic_tuning.training.trainer import build_trainer, odds_ratio_loss

    profile = load_profile("smoke").with_overrides(batch_size=1, gradient_accumulation_steps=2, odds_ratio_weight=0.5)
    model, tokenizer = load_peft(profile)
    rows = tokenize_examples(tokenizer, unpaired_then_paired, profile.max_length, rejected_seed=0)
    prefix_length = len(shared_prefix_ids(tokenizer, tools))
    trainer, _ = build_trainer(model, tokenizer, rows, profile, str(tmp_path), prefix_length=prefix_length)
    batches = list(trainer.get_train_dataloader())
    [batch] = [batch for batch in batches if "rejected_input_ids" in batch]
    assert len(batches) == 2, "the unpaired example trains without a pair"
    with torch.no_grad():
        loss = trainer.compute_loss(model, batch)
        trainer.odds_ratio_weight = 0.0
        supervised = trainer.compute_loss(model, batch)

        def mean_logprob(input_ids, labels):
            logits = model(input_ids=input_ids).logits[:, :-1].float()
            targets, has_label = labels[:, 1:], labels[:, 1:] != -100
            return torch.log_softmax(logits, -1).gather(-1, targets.clamp(min=0).unsqueeze(-1)).squeeze(-1)[has_label].mean()

        chosen = mean_logprob(batch["input_ids"], batch["labels"])
        rejected = mean_logprob(batch["rejected_input_ids"], batch["rejected_labels"])
    expected = float(supervised) + 0.5 * float(odds_ratio_loss(chosen, rejected)) / 2
    assert float(loss) == pytest.approx(expected, rel=1e-3)
    assert len(trainer.odds_ratio_losses) == 1


@pytest.mark.model
def test_a_training_run_with_the_odds_ratio_loss_trains_every_pair_it_draws_and_logs_them(tmp_path, unpaired_then_paired):
    from agentic_tuning.training.backends import load_peft
    from agentic_tuning.training.trainer import train

    profile = load_profile("smoke").with_overrides(max_steps=2, batch_size=1, gradient_accumulation_steps=2,
                                                   odds_ratio_weight=1.0)
    model, tokenizer = load_peft(profile)
    log = train(model, tokenizer, unpaired_then_paired, profile, str(tmp_path), "peft")
    summary = log["odds_ratio"]
    assert summary["paired_examples"] == 1
    assert summary["pairs_trained"] == 2, "two passes over the two examples meet the paired one twice"
    assert 0 < summary["mean_loss_last_quarter"] < 5
