"""What the notebooks need to know about where they run and how much work to do.

Every notebook calls ``course.settings()``: it detects the platform (Colab, Kaggle, a local GPU
or a CPU), picks the run profile (``AGENTIC_TUNING_PROFILE`` overrides it) and returns the sizes
each notebook uses under that profile, so the same notebook runs in a minute in CI (``smoke``),
in about twenty on a laptop (``cpu``) and on a Colab T4 (``gpu``).
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass

from .training.profiles import PROFILE_ENV, default_profile_name, has_nvidia_gpu, load_profile

REPO_URL = "https://github.com/agentic-tuning/agentic-tuning"
COLAB_URL = "https://colab.research.google.com/github/agentic-tuning/agentic-tuning/blob/main"
UNATTENDED_ENV = "AGENTIC_TUNING_UNATTENDED"

# The first code cell of every notebook and lab (tests/test_notebook_structure.py keeps them equal).
# It runs before the library can be imported, so it is the one piece the notebooks repeat.
BOOTSTRAP_CELL = f"""import importlib.util, os, subprocess, sys
if importlib.util.find_spec("agentic_tuning") is None:  # Colab or Kaggle: fetch the course, install its pinned stack
    subprocess.run(["git", "clone", "-q", "--depth", "1", "{REPO_URL}"], check=True)
    os.chdir("agentic-tuning")
    subprocess.run(["bash", "scripts/install_course.sh"], env={{**os.environ, "PYTHON": sys.executable}}, check=True)
    sys.path.insert(0, os.getcwd())"""


@dataclass(frozen=True)
class CourseSettings:
    platform: str  # colab | kaggle | local-gpu | cpu
    profile: str  # smoke | cpu | gpu
    eval_examples: int  # live evaluation cases in notebooks 01 and 06
    train_steps: int  # steps notebook 05 trains for
    unattended: bool  # no one is there to click buttons (CI, nbval, `make course`)

    @property
    def base_model(self) -> str:
        return load_profile(self.profile).base_model


EVAL_EXAMPLES = {"smoke": 6, "cpu": 40, "gpu": 240}


def detect_platform() -> str:
    if "google.colab" in sys.modules or os.environ.get("COLAB_RELEASE_TAG"):
        return "colab"
    if os.environ.get("KAGGLE_KERNEL_RUN_TYPE"):
        return "kaggle"
    return "local-gpu" if has_nvidia_gpu() else "cpu"


def settings() -> CourseSettings:
    profile = default_profile_name()
    return CourseSettings(
        platform=detect_platform(),
        profile=profile,
        eval_examples=EVAL_EXAMPLES[profile],
        train_steps=load_profile(profile).max_steps,
        unattended=os.environ.get(UNATTENDED_ENV) == "1" or profile == "smoke",
    )


def colab_link(path: str) -> str:
    """Markdown badge that opens a notebook in Colab; ``path`` is relative to the repo root,
    e.g. ``notebooks/00_setup.ipynb`` or ``labs/01_lab_failure_classifier.ipynb``."""
    return (f"[![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)]"
            f"({COLAB_URL}/{path})")


__all__ = ["CourseSettings", "settings", "detect_platform", "colab_link", "PROFILE_ENV", "UNATTENDED_ENV"]
