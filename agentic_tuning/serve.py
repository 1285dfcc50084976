"""Serve a model as an OpenAI-compatible agent backend.

``python -m agentic_tuning.serve --model adapters/smollm2-135m-tool-calling --port 8000``
exports the model once (LoRA adapter folded into the base weights, tokenizer with the
project's chat template and ``response_template``) to ``.cache/servable/<name>-<hash>`` and
serves it at ``http://127.0.0.1:8000/v1``; ``--base`` serves the untuned embedded model for
comparison. ``--model`` also takes ``embedded``, a model folder or an already exported folder.

The exported folder is a plain ``save_pretrained`` model, so ``transformers serve <folder>``
loads it offline too; :mod:`agentic_tuning.server` says why this CLI serves it with its own
small app instead.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from .chat_template import END_OF_TURN, RESPONSE_TEMPLATE, TOOL_CHAT_TEMPLATE
from .models import EMBEDDED, EMBEDDED_CACHE, embedded_model_dir, load_model
from .paths import CACHE_DIR

SERVABLE_CACHE = CACHE_DIR / "servable"
MARKER = "servable.json"


def model_name(model_spec: str) -> str:
    """The name a model is served under: the embedded model's or its folder's."""
    return EMBEDDED_CACHE.name if model_spec == EMBEDDED else Path(model_spec).resolve().name


def is_servable(path: str | Path) -> bool:
    """Whether ``path`` is a folder written by :func:`export_servable`."""
    return (Path(path) / MARKER).exists()


def export_servable(model_spec: str, out_dir: str | Path) -> Path:
    """Save ``model_spec`` (``embedded``, a model or a LoRA adapter folder) as a servable folder.

    The adapter is merged into the weights; the tokenizer carries the tool chat template and
    the ``response_template`` parser; generation defaults to greedy decoding that stops at
    the end of the assistant turn.
    """
    out_dir = Path(out_dir)
    loaded = load_model(model_spec, merge_adapter=True)
    config = loaded.model.generation_config
    config.eos_token_id = loaded.tokenizer.convert_tokens_to_ids(END_OF_TURN)
    config.pad_token_id = loaded.tokenizer.pad_token_id
    config.do_sample = False
    partial = out_dir.with_name(out_dir.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    loaded.model.save_pretrained(partial)
    loaded.tokenizer.save_pretrained(partial)
    (partial / MARKER).write_text(json.dumps({"name": model_name(model_spec), "source": model_spec}, indent=2))
    shutil.rmtree(out_dir, ignore_errors=True)
    partial.rename(out_dir)
    return out_dir


def _fingerprint(model_spec: str) -> str:
    """A hash of the source model's files and the chat format, so a changed model re-exports."""
    digest = hashlib.sha256(json.dumps([model_spec, TOOL_CHAT_TEMPLATE, RESPONSE_TEMPLATE]).encode())
    folder = embedded_model_dir() if model_spec == EMBEDDED else Path(model_spec)
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.update(str(path.relative_to(folder)).encode())
        with path.open("rb") as file:
            for chunk in iter(lambda: file.read(1 << 20), b""):
                digest.update(chunk)
    return digest.hexdigest()[:12]


def servable_dir(model_spec: str) -> Path:
    """An exported folder for ``model_spec``: itself if already exported, else the cached export."""
    if is_servable(model_spec):
        return Path(model_spec)
    folder = SERVABLE_CACHE / f"{model_name(model_spec)}-{_fingerprint(model_spec)}"
    if not is_servable(folder):
        SERVABLE_CACHE.mkdir(parents=True, exist_ok=True)
        export_servable(model_spec, folder)
    return folder


def serve(folder: str | Path, host: str = "127.0.0.1", port: int = 8000) -> None:
    """Load an exported folder and serve it until interrupted."""
    import uvicorn

    from .generation import ChatGenerator
    from .server import create_app

    name = json.loads((Path(folder) / MARKER).read_text())["name"]
    loaded = load_model(str(folder))
    app = create_app(ChatGenerator(loaded.model, loaded.tokenizer), name)
    print(f"serving {name} at http://{host}:{port}/v1", flush=True)
    uvicorn.run(app, host=host, port=port, log_level="warning")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_ready(url: str, process: subprocess.Popen, log_path: Path, timeout_s: float = 180) -> None:
    import httpx

    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited with {process.returncode}:\n{log_path.read_text()}")
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.5)
    raise TimeoutError(f"the server was not ready after {timeout_s} s:\n{log_path.read_text()}")


@contextlib.contextmanager
def running_server(folder: str | Path, log_path: str | Path | None = None) -> Iterator[str]:
    """Serve an exported folder in a subprocess on a free local port; yields the ``/v1`` base URL.

    The server is stopped when the block ends. Its output goes to ``log_path`` (a temporary
    file by default), which is shown if it fails to start.
    """
    port = free_port()
    log_path = Path(log_path or tempfile.mkstemp(prefix="agentic-tuning-server-", suffix=".log")[1])
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}
    with log_path.open("w") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "agentic_tuning.serve", "--model", str(folder), "--port", str(port)],
            stdout=log, stderr=subprocess.STDOUT, env=env)
    try:
        wait_until_ready(f"http://127.0.0.1:{port}/health", process, log_path)
        yield f"http://127.0.0.1:{port}/v1"
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    which = parser.add_mutually_exclusive_group(required=True)
    which.add_argument("--model", help="embedded, a LoRA adapter folder, a model folder or an exported folder")
    which.add_argument("--base", action="store_true", help="serve the untuned embedded model")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    args = parser.parse_args(argv)
    serve(servable_dir(EMBEDDED if args.base else args.model), args.host, args.port)


if __name__ == "__main__":
    main()
