"""Every notebook and lab opens with its goals, cost and Colab badge, and ends with a summary and a self-check."""

import json
from pathlib import Path

import pytest

from agentic_tuning.course import BOOTSTRAP_CELL, colab_link
from agentic_tuning.paths import REPO_ROOT

NOTEBOOKS = sorted((REPO_ROOT / "notebooks").glob("*.ipynb"))
SOLUTIONS = sorted((REPO_ROOT / "solutions").glob("*.ipynb"))
LABS = sorted((REPO_ROOT / "labs").glob("*.ipynb"))


def markdown(path: Path) -> list[str]:
    cells = json.loads(path.read_text())["cells"]
    return ["".join(cell["source"]) for cell in cells if cell["cell_type"] == "markdown"]


def headings(path: Path) -> list[str]:
    return [line for text in markdown(path) for line in text.splitlines() if line.startswith("#")]


def first_code_cell(path: Path) -> str:
    cells = json.loads(path.read_text())["cells"]
    return next("".join(cell["source"]) for cell in cells if cell["cell_type"] == "code")


def colab_target(path: Path) -> str:
    """Solutions open their lab in Colab: the learner starts from the exercise."""
    folder = "labs" if path.parent.name in ("labs", "solutions") else path.parent.name
    return f"{folder}/{path.name}"


def test_one_lab_per_notebook_01_to_07():
    assert [p.name[:2] for p in NOTEBOOKS] == [f"{i:02d}" for i in range(9)]
    assert [p.name for p in LABS] == [p.name for p in SOLUTIONS]
    assert [p.name[:2] for p in SOLUTIONS] == [f"{i:02d}" for i in range(1, 8)]


@pytest.mark.parametrize("path", NOTEBOOKS + SOLUTIONS + LABS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_opens_with_goals_cost_and_colab_badge_and_ends_with_summary_and_self_check(path):
    cells = markdown(path)
    opening = cells[1] if path.parent.name == "labs" else cells[0]  # a lab starts with its "generated from" notice
    assert opening.startswith("# ")
    assert colab_link(colab_target(path)) in opening
    assert "**What you will learn**" in opening
    assert "**What it costs to run**" in opening
    for profile in ("smoke", "cpu", "gpu"):
        assert f"`{profile}`" in opening
    closing = headings(path)[-2:]
    assert closing[0] == "## Summary"
    assert closing[1].startswith("## Self-check")


@pytest.mark.parametrize("path", NOTEBOOKS + SOLUTIONS + LABS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_first_code_cell_is_the_one_bootstrap_cell(path):
    assert first_code_cell(path) == BOOTSTRAP_CELL
