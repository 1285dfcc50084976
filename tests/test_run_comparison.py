import json

import pytest

from agentic_tuning import run_comparison


def _write_run(folder, losses, outputs, wall_time=100.0):
    folder.mkdir()
    steps = [{"step": i + 1, "loss": loss} for i, loss in enumerate(losses)]
    (folder / "cpu_train_log.json").write_text(json.dumps({"steps": steps, "wall_time_s": wall_time}))
    overall = {name: 0.5 for name in run_comparison.TARGETS}
    cases = [{"index": i, "output": text} for i, text in enumerate(outputs)]
    for name in run_comparison.EVALUATIONS.values():
        (folder / name).write_text(json.dumps({"overall": overall, "cases": cases}))
    return folder


def test_identical_runs_with_other_timings_are_a_reproduction(tmp_path, capsys):
    first = _write_run(tmp_path / "a", [2.5, 1.2, 0.9], ["x", "y"], wall_time=100.0)
    second = _write_run(tmp_path / "b", [2.5, 1.2, 0.9], ["x", "y"], wall_time=90.0)
    report = run_comparison.compare_runs(first, second)
    assert report["training"]["same_loss"] == 3 and report["training"]["first_different_step"] is None
    assert run_comparison.is_reproduction(report)
    out = tmp_path / "comparison.json"
    with pytest.raises(SystemExit) as exit_status:
        run_comparison.main([str(first), str(second), "--out", str(out)])
    assert exit_status.value.code == 0
    assert "3 of 3 steps" in capsys.readouterr().out
    written = json.loads(out.read_text())
    assert written["reproduced"] and written["training"]["wall_time_s"] == [100.0, 90.0]


def test_a_different_loss_or_answer_is_not_a_reproduction(tmp_path):
    first = _write_run(tmp_path / "a", [2.5, 1.2, 0.9], ["x", "y"])
    other_loss = _write_run(tmp_path / "b", [2.5, 1.3, 0.9], ["x", "y"])
    other_answer = _write_run(tmp_path / "c", [2.5, 1.2, 0.9], ["x", "z"])
    shorter = _write_run(tmp_path / "d", [2.5, 1.2], ["x", "y"])
    report = run_comparison.compare_runs(first, other_loss)
    assert report["training"]["first_different_step"] == 2 and report["training"]["same_loss"] == 2
    assert not run_comparison.is_reproduction(report)
    assert run_comparison.compare_runs(first, other_answer)["test"]["same_output"] == 1
    assert not run_comparison.is_reproduction(run_comparison.compare_runs(first, other_answer))
    assert not run_comparison.is_reproduction(run_comparison.compare_runs(first, shorter))
    with pytest.raises(SystemExit) as exit_status:
        run_comparison.main([str(first), str(other_answer)])
    assert exit_status.value.code == 1


def test_a_split_only_one_folder_holds_is_left_out_and_is_not_a_reproduction(tmp_path, capsys):
    first = _write_run(tmp_path / "a", [2.5, 1.2], ["x", "y"])
    test_only = _write_run(tmp_path / "b", [2.5, 1.2], ["x", "y"])
    (test_only / run_comparison.EVALUATIONS["valid"]).unlink()
    report = run_comparison.compare_runs(first, test_only)
    assert report["missing"] == ["valid"] and "valid" not in report
    assert report["test"]["same_output"] == 2
    assert not run_comparison.is_reproduction(report)
    with pytest.raises(SystemExit) as exit_status:
        run_comparison.main([str(first), str(test_only)])
    assert exit_status.value.code == 1
    assert "valid: not in both folders" in capsys.readouterr().out
