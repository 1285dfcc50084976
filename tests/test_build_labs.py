import importlib.util
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

REPO = Path(__file__).resolve().parent.parent
SCRIPT = REPO / "scripts" / "build_labs.py"
_spec = importlib.util.spec_from_file_location("build_labs", SCRIPT)
build_labs = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(build_labs)

EXERCISE = """\
def add(a, b):
    \"\"\"Return the sum.\"\"\"
    # BEGIN SOLUTION
    total = a + b
    return total
    # END SOLUTION

print(add(1, 2))"""

TWO_REGIONS = """\
# BEGIN SOLUTION
x = 1
# END SOLUTION
for i in range(3):
        # BEGIN SOLUTION
        y = i
        # BEGIN SOLUTION
        z = y
        # END SOLUTION
        # END SOLUTION
done = True"""


def solution_notebook():
    code = new_code_cell(EXERCISE, id="exercise", execution_count=3,
                         outputs=[new_output("stream", name="stdout", text="3\n")])
    return new_notebook(cells=[
        new_markdown_cell("# Adding numbers", id="title"),
        code,
        new_code_cell("assert add(2, 2) == 4", id="answer-check", metadata={"tags": ["solution-only"]}),
        new_code_cell(TWO_REGIONS, id="loops"),
    ])


def write_solution(folder: Path, name="01_add.ipynb", nb=None) -> Path:
    folder.mkdir(exist_ok=True)
    path = folder / name
    nbformat.write(nb or solution_notebook(), path)
    return path


def test_exercise_body_becomes_a_stub_at_the_same_indentation():
    lab = build_labs.build_lab(solution_notebook(), "01_add.ipynb")
    assert lab.cells[2].source == (
        'def add(a, b):\n    """Return the sum."""\n'
        '    # YOUR CODE HERE\n    raise NotImplementedError("exercise")\n\nprint(add(1, 2))'
    )


def test_multiple_and_nested_regions():
    lab = build_labs.build_lab(solution_notebook(), "01_add.ipynb")
    assert lab.cells[3].source == (
        '# YOUR CODE HERE\nraise NotImplementedError("exercise")\n'
        "for i in range(3):\n"
        '        # YOUR CODE HERE\n        raise NotImplementedError("exercise")\n'
        "done = True"
    )


def test_note_first_solution_only_cells_dropped_outputs_cleared_solution_untouched():
    solution = solution_notebook()
    lab = build_labs.build_lab(solution, "01_add.ipynb")
    assert lab.cells[0].cell_type == "markdown"
    assert lab.cells[0].source == ("This lab is generated from solutions/01_add.ipynb by scripts/build_labs.py; "
                                   "edit the solution, not this file.")
    assert [c.get("id") for c in lab.cells] == ["generated-lab-note", "title", "exercise", "loops"]
    assert lab.cells[1].source == "# Adding numbers"
    assert all(c.outputs == [] and c.execution_count is None for c in lab.cells if c.cell_type == "code")
    assert solution.cells[1].outputs and "# BEGIN SOLUTION" in solution.cells[1].source
    nbformat.validate(lab)


@pytest.mark.parametrize("source, problem", [
    ("# BEGIN SOLUTION\nx = 1", "without a matching"),
    ("x = 1\n# END SOLUTION", "line 2 has # END SOLUTION without"),
])
def test_unbalanced_markers_name_the_notebook_and_cell(source, problem):
    nb = new_notebook(cells=[new_markdown_cell("intro"), new_code_cell(source, id="broken")])
    with pytest.raises(ValueError, match=rf"05_broken\.ipynb cell 1 \(id broken\).*{problem}"):
        build_labs.build_lab(nb, "05_broken.ipynb")


def test_build_is_deterministic_and_check_passes(tmp_path):
    write_solution(tmp_path / "solutions")
    src, dst = tmp_path / "solutions", tmp_path / "labs"
    assert build_labs.stale_labs(src, dst) == [f"missing: {dst / '01_add.ipynb'}"]
    [lab] = build_labs.build_all(src, dst)
    first = lab.read_bytes()
    build_labs.build_all(src, dst)
    assert lab.read_bytes() == first and first.endswith(b"}\n")
    assert build_labs.stale_labs(src, dst) == []
    assert "NotImplementedError" in nbformat.read(lab, as_version=4).cells[2].source


def test_check_finds_stale_and_extra_labs(tmp_path):
    src, dst = tmp_path / "solutions", tmp_path / "labs"
    path = write_solution(src)
    build_labs.build_all(src, dst)
    nb = nbformat.read(path, as_version=4)
    nb.cells[0].source = "# Adding numbers, revised"
    nbformat.write(nb, path)
    (dst / "99_orphan.ipynb").write_text("{}")
    assert build_labs.stale_labs(src, dst) == [f"stale: {dst / '01_add.ipynb'}", f"extra: {dst / '99_orphan.ipynb'}"]
    build_labs.build_all(src, dst)
    assert build_labs.stale_labs(src, dst) == []
    assert sorted(p.name for p in dst.iterdir()) == ["01_add.ipynb"]


def test_script_check_mode_lists_problems_without_writing(tmp_path):
    src, dst = tmp_path / "solutions", tmp_path / "labs"
    write_solution(src)
    cli = [sys.executable, str(SCRIPT), "--solutions", str(src), "--labs", str(dst)]
    check = subprocess.run([*cli, "--check"], capture_output=True, text=True)
    assert check.returncode == 1 and f"missing: {dst / '01_add.ipynb'}" in check.stdout
    assert not dst.exists()
    assert subprocess.run(cli, capture_output=True).returncode == 0
    assert subprocess.run([*cli, "--check"], capture_output=True).returncode == 0


def test_committed_labs_are_current():
    assert build_labs.stale_labs(REPO / "solutions", REPO / "labs") == []
