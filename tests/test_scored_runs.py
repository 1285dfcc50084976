import json

from agentic_tuning.plots import plot_run_scores
from agentic_tuning.report import TARGETS, run_scores_summary
from agentic_tuning.scored_runs import ScoredRun, scored_runs


def _results(sha: str, tool_selection: float, argument_exact_match: float) -> dict:
    return {"data": {"path": "data/test.jsonl", "sha256": sha},
            "overall": {"tool_selection_accuracy": tool_selection, "argument_exact_match": argument_exact_match}}


def _write(path, results):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(results))


def test_scored_runs_keeps_the_runs_scored_on_the_committed_runs_data(tmp_path):
    results, gpu = tmp_path / "results", tmp_path / "results" / "gpu"
    _write(results / "cpu_tuned.json", _results("now", 0.93, 0.78))
    _write(results / "experiments" / "same_split" / "cpu_tuned.json", _results("now", 0.90, 0.80))
    _write(results / "experiments" / "older_split" / "cpu_tuned.json", _results("before", 0.99, 0.99))
    _write(results / "experiments" / "dev_only" / "cpu_tuned_dev.json", _results("dev", 0.95, 0.83))
    _write(gpu / "on_gpu" / "train_log.json", {})
    _write(gpu / "on_gpu" / "tuned_test.json", _results("now", 0.91, 0.82))
    _write(gpu / "not_scored" / "train_log.json", {})

    runs = scored_runs("test", results, gpu)

    assert [(run.name, run.kind) for run in runs] == [("committed", "committed"), ("same_split", "cpu"), ("on_gpu", "gpu")]
    assert runs[2].argument_exact_match == 0.82
    assert scored_runs("dev", results, gpu) == []


def test_a_run_meets_the_targets_only_when_both_are_met():
    assert ScoredRun("a", "cpu", 0.95, 0.90).meets(TARGETS)
    assert not ScoredRun("b", "cpu", 0.99, 0.89).meets(TARGETS)
    assert not ScoredRun("c", "cpu", 0.94, 0.99).meets(TARGETS)


def test_the_summary_counts_the_runs_that_meet_both_targets_and_names_the_closest():
    runs = {"test": [ScoredRun("committed", "committed", 0.93, 0.78), ScoredRun("wide", "cpu", 0.99, 0.60),
                     ScoredRun("there", "gpu", 0.96, 0.91)],
            "dev": [ScoredRun("committed", "committed", 0.95, 0.82), ScoredRun("near", "cpu", 0.94, 0.86)]}

    summary = run_scores_summary(runs)

    assert "on test, 3 runs, 1 of them meeting both targets; the closest, `there`, at 96.0% tool selection" in summary
    assert "on dev, 2 runs, 0 of them meeting both targets; the closest, `near`" in summary


def test_the_plot_has_one_panel_per_split(tmp_path):
    runs = {"dev": [ScoredRun("committed", "committed", 0.95, 0.82)],
            "test": [ScoredRun("committed", "committed", 0.93, 0.78), ScoredRun("x", "gpu", 0.91, 0.82)]}

    figure = plot_run_scores(runs, TARGETS, tmp_path / "run_scores.png")

    assert [ax.get_title() for ax in figure.axes] == ["dev split: 1 run", "test split: 2 runs"]
    assert (tmp_path / "run_scores.png").stat().st_size > 0
