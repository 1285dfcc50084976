"""Where a result came from: the git commit, the hash of the data file and the CPU it ran on."""

from __future__ import annotations

import hashlib
import platform
import re
import subprocess
from pathlib import Path

from .paths import REPO_ROOT


def git_commit() -> str | None:
    """The repository's HEAD commit, or None outside a git checkout."""
    try:
        return subprocess.run(["git", "rev-parse", "HEAD"], capture_output=True, text=True, check=True,
                              cwd=REPO_ROOT).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return None


def file_sha256(path: str | Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def describe_file(path: str | Path) -> dict:
    """A data file as results record it: path (relative to the repo when inside it) and hash."""
    resolved = Path(path).resolve()
    shown = resolved.relative_to(REPO_ROOT) if resolved.is_relative_to(REPO_ROOT) else resolved
    return {"path": str(shown), "sha256": file_sha256(resolved)}


VECTOR_EXTENSIONS = frozenset({"avx2", "avx512f", "avx512_bf16", "avx512_vnni", "amx_bf16"})
"""The instruction sets that decide which matrix kernels PyTorch runs on a CPU. Two CPUs that
differ in them can round differently: the committed recipe's first loss differed in the fifth
decimal between an AVX2 and an AVX-512 machine (results/experiments/committed_on_avx512_cpu)."""


def cpu_description(cpuinfo: str | None = None) -> dict:
    """The CPU's model name and which of ``VECTOR_EXTENSIONS`` it has, from /proc/cpuinfo."""
    if cpuinfo is None:
        path = Path("/proc/cpuinfo")
        cpuinfo = path.read_text() if path.exists() else ""
    model = re.search(r"^model name\s*:\s*(.+)$", cpuinfo, re.MULTILINE)
    flags = re.search(r"^flags\s*:\s*(.+)$", cpuinfo, re.MULTILINE)
    return {
        "model": model.group(1).strip() if model else platform.processor() or platform.machine(),
        "vector_extensions": sorted(VECTOR_EXTENSIONS & set(flags.group(1).split())) if flags else [],
    }
