"""Fine-tune a LoRA adapter that makes the model answer with tool calls.

``python -m agentic_tuning.train --profile cpu`` (or smoke, gpu). The backend is chosen
automatically (Unsloth on an NVIDIA GPU when installed, else transformers + PEFT) and can be
forced with ``--backend``. Writes ``<out>/adapter`` (LoRA weights + tokenizer with the tool
chat template), ``<out>/train_log.json`` and ``<out>/loss.png``; ``--merge`` also writes
``<out>/merged``, a plain model folder for serving.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
from pathlib import Path

from .conversations import read_jsonl
from .models import EMBEDDED, EMBEDDED_CACHE
from .paths import DATA_DIR, REPO_ROOT
from .provenance import describe_file, git_commit
from .training.backends import BACKENDS, choose_backend, import_unsloth_first, load_for_training
from .training.profiles import PROFILES, default_profile_name, load_profile


def save_adapter(model, tokenizer, folder: Path, initial_adapter: Path | None = None) -> None:
    """LoRA weights and tokenizer; an embedded base is recorded as ``embedded``, not a local path
    (in the config and in PEFT's model card), and the target modules are sorted (PEFT writes them
    in set order, different run to run). With ``initial_adapter``, the adapter as it was before training
    (a PiSSA start, which changed the frozen weights), what is saved is the change since then as a plain
    LoRA of twice the rank on the original weights."""
    conversion = str(initial_adapter) if initial_adapter else None
    model.save_pretrained(folder, path_initial_model_for_weight_conversion=conversion)
    tokenizer.save_pretrained(folder)
    card = folder / "README.md"
    if card.exists():
        card.write_text(card.read_text().replace(str(EMBEDDED_CACHE), EMBEDDED))
    config_path = folder / "adapter_config.json"
    config = json.loads(config_path.read_text())
    if Path(config["base_model_name_or_path"]) == EMBEDDED_CACHE:
        config["base_model_name_or_path"] = EMBEDDED
    if isinstance(config.get("target_modules"), list):
        config["target_modules"] = sorted(config["target_modules"])
    config_path.write_text(json.dumps(config, indent=2) + "\n")


def save_merged(model, tokenizer, folder: Path) -> None:
    """The adapter folded into the base weights, saved as a plain model for serving."""
    merged = model.merge_and_unload()
    merged.save_pretrained(folder)
    tokenizer.save_pretrained(folder)


def run(profile_name: str, *, backend: str = "auto", data: str = str(DATA_DIR / "train.jsonl"),
        out: str | None = None, max_steps: int | None = None, merge: bool = False) -> dict:
    from .plots import plot_loss

    profile = load_profile(profile_name).with_overrides(max_steps=max_steps)
    backend = choose_backend(backend, profile)
    if backend == "unsloth":
        import_unsloth_first()
    # Imported here, after Unsloth: the trainer imports trl, transformers and peft.
    from .training.trainer import save_json, train

    out_dir = Path(out or REPO_ROOT / "runs" / profile.name)
    out_dir.mkdir(parents=True, exist_ok=True)
    examples = read_jsonl(data)
    random.Random(profile.seed).shuffle(examples)
    provenance = {"data": describe_file(data), "git_commit": git_commit()}
    model, tokenizer = load_for_training(profile, backend)
    initial_adapter = out_dir / "initial_adapter" if profile.lora_init == "pissa" else None
    if initial_adapter:
        model.save_pretrained(initial_adapter)
    log = train(model, tokenizer, examples, profile, str(out_dir / "checkpoints"), backend)
    log.update(provenance)
    save_adapter(model, tokenizer, out_dir / "adapter", initial_adapter=initial_adapter)
    if initial_adapter:
        shutil.rmtree(initial_adapter)
    save_json(out_dir / "train_log.json", log)
    plot_loss(log, out_dir / "loss.png")
    if merge:
        save_merged(model, tokenizer, out_dir / "merged")
    print(f"{profile.name}: {log['examples_seen']} examples in {log['wall_time_s']} s, "
          f"final loss {log['final_loss']}, adapter in {out_dir / 'adapter'}")
    return log


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--profile", default=None,
                        help=f"one of {', '.join(PROFILES)} or the path of your own profile JSON; "
                             "default: gpu with a GPU, else cpu")
    parser.add_argument("--backend", choices=BACKENDS, default="auto")
    parser.add_argument("--data", default=str(DATA_DIR / "train.jsonl"))
    parser.add_argument("--out", help="output folder (default runs/<profile>)")
    parser.add_argument("--max-steps", type=int, help="override the profile's step count")
    parser.add_argument("--merge", action="store_true", help="also save the merged model for serving")
    args = parser.parse_args(argv)
    run(args.profile or default_profile_name(), backend=args.backend, data=args.data, out=args.out,
        max_steps=args.max_steps, merge=args.merge)


if __name__ == "__main__":
    main()
