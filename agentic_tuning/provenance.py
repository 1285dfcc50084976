"""Where a result came from: the git commit and the hash of the data file."""

from __future__ import annotations

import hashlib
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
