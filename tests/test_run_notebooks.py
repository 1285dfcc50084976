import importlib.util
import json
from pathlib import Path

import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

REPO = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("run_notebooks", REPO / "scripts" / "run_notebooks.py")
run_notebooks = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(run_notebooks)


def executed_notebook():
    checked = new_code_cell("# NBVAL_CHECK_OUTPUT\n1 + 1", execution_count=7,
                            outputs=[new_output("execute_result", data={"text/plain": "2"}, execution_count=7)])
    checked.metadata["execution"] = {"iopub.status.busy": "2026-01-01T00:00:00Z"}
    plain = new_code_cell("print('hi')", execution_count=3,
                          outputs=[new_output("stream", name="stdout", text="hi\n")])
    late_marker = new_code_cell("x = 1\n# NBVAL_CHECK_OUTPUT\nx", execution_count=8,
                                outputs=[new_output("execute_result", data={"text/plain": "1"}, execution_count=8)])
    return new_notebook(cells=[new_markdown_cell("# Title"), plain, checked, late_marker])


def test_clean_keeps_only_marked_outputs_and_their_position_as_count():
    nb = executed_notebook()
    cleaned = run_notebooks.clean_notebook(nb)
    markdown, plain, checked, late_marker = cleaned.cells
    assert markdown.source == "# Title"
    assert (plain.outputs, plain.execution_count) == ([], None)
    assert checked.outputs[0]["data"] == {"text/plain": "2"}
    assert checked.execution_count == 2 and checked.outputs[0]["execution_count"] == 2
    assert "execution" not in checked.metadata
    assert (late_marker.outputs, late_marker.execution_count) == ([], None)  # the marker must be the first line
    assert nb.cells[1].outputs, "the input notebook is left untouched"


def test_clean_is_idempotent():
    once = run_notebooks.clean_notebook(executed_notebook())
    assert run_notebooks.clean_notebook(once) == once


def test_select_notebooks_by_name_or_prefix(tmp_path):
    for name in ("00_setup", "02_formats", "03_data"):
        (tmp_path / f"{name}.ipynb").write_text("{}")
    assert [p.stem for p in run_notebooks.select_notebooks(tmp_path, None)] == ["00_setup", "02_formats", "03_data"]
    assert [p.stem for p in run_notebooks.select_notebooks(tmp_path, ["03", "00_setup.ipynb"])] == ["00_setup", "03_data"]
    with pytest.raises(SystemExit, match="04"):
        run_notebooks.select_notebooks(tmp_path, ["04"])


def test_headline_metrics(tmp_path):
    assert run_notebooks.headline_metrics(tmp_path) == []
    for kind, value in (("base", 0.25), ("tuned", 0.975)):
        overall = {key: value for key in run_notebooks.HEADLINE}
        (tmp_path / f"cpu_{kind}.json").write_text(json.dumps({"overall": overall}))
    assert run_notebooks.headline_metrics(tmp_path)[1] == ("tool selection", 0.25, 0.975)
