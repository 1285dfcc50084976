import json

import pytest

from agentic_tuning import runtime_estimates as rt
from agentic_tuning.course import EVAL_EXAMPLES
from agentic_tuning.training.profiles import load_profile

CPU = load_profile("cpu")
CPU_EXAMPLES_PER_STEP = CPU.examples_per_step


def train_log(step_s=10.0, overhead=6.0, steps=None, batch=None, threads=2):
    steps = steps or CPU.max_steps
    batch = batch or CPU_EXAMPLES_PER_STEP
    return {
        "profile": {**CPU.to_dict(), "max_steps": steps, "batch_size": batch, "gradient_accumulation_steps": 1},
        "torch_threads": threads,
        "device": "x86_64",
        "wall_time_s": overhead + steps * step_s,
        "steps": [{"step": i + 1, "elapsed_s": overhead + (i + 1) * step_s} for i in range(steps)],
    }


def eval_results(mean, p50, n=240, threads=2):
    return {"latency_s": {"p50": p50, "p95": 2 * p50, "mean": mean},
            "settings": {"n_examples": n, "torch_threads": threads}}


@pytest.fixture
def results_dir(tmp_path):
    (tmp_path / "cpu_train_log.json").write_text(json.dumps(train_log()))
    (tmp_path / "cpu_base.json").write_text(json.dumps(eval_results(mean=3.0, p50=2.0)))
    (tmp_path / "cpu_tuned.json").write_text(json.dumps(eval_results(mean=1.0, p50=0.8)))
    return tmp_path


def test_training_rate_separates_overhead_from_steady_steps():
    per_example, overhead = rt.training_rate(train_log(step_s=10.0, overhead=6.0, batch=4))
    assert per_example == pytest.approx(2.5)
    assert overhead == pytest.approx(6.0)


def test_training_rate_with_a_single_step_uses_wall_time():
    log = train_log(step_s=8.0, overhead=0.0, steps=1, batch=2)
    assert rt.training_rate(log) == (pytest.approx(4.0), 0.0)


def test_load_measurements_reads_all_three_files(results_dir):
    m = rt.load_measurements(results_dir)
    assert m.train_examples_measured == CPU.max_steps * CPU_EXAMPLES_PER_STEP
    assert (m.base_s_per_case, m.tuned_s_per_case) == (3.0, 1.0)
    assert m.base_cases_measured == 240 and m.threads == 2
    assert m.sources == ("cpu_train_log.json", "cpu_base.json", "cpu_tuned.json")


def test_missing_results_give_not_measured(tmp_path):
    table = rt.estimate_table(rt.Machine(threads=2, gpu=False), results_dir=tmp_path)
    model_rows = table[table.work != "no model"]
    assert set(model_rows.basis) == {rt.NOT_MEASURED}
    assert model_rows.seconds.isna().all()


def test_cpu_profile_is_scaled_from_the_measurements(results_dir):
    table = rt.estimate_table(rt.Machine(threads=2, gpu=False), results_dir=results_dir).set_index(
        ["notebook", "profile"])
    n = EVAL_EXAMPLES["cpu"]
    evaluation = table.loc[("06_evaluating_tool_calls", "cpu")]
    assert evaluation.seconds == pytest.approx(n * 3.0 + n * 1.0)
    assert evaluation.basis == rt.SCALED
    training = table.loc[("05_unsloth_4bit_lora_finetune", "cpu")]
    assert training.seconds == pytest.approx(6.0 + CPU.max_steps * 10.0)
    assert training.basis == rt.SCALED
    assert table.loc[("02_tool_schemas_and_call_formats", "cpu")].basis == rt.NO_MODEL


def test_smoke_scales_down_and_gpu_profile_is_not_measured(results_dir):
    table = rt.estimate_table(rt.Machine(threads=2, gpu=False), results_dir=results_dir).set_index(
        ["notebook", "profile"])
    smoke = load_profile("smoke")
    expected = 6.0 + smoke.max_steps * smoke.examples_per_step * 10.0 / CPU_EXAMPLES_PER_STEP
    assert table.loc[("05_unsloth_4bit_lora_finetune", "smoke")].seconds == pytest.approx(expected)
    gpu = table.loc[("05_unsloth_4bit_lora_finetune", "gpu")]
    assert gpu.basis == rt.NOT_MEASURED and "was not benchmarked" in gpu.reason


def test_more_work_or_other_hardware_is_an_extrapolation(results_dir):
    measured = rt.load_measurements(results_dir)
    more = rt.Workload(tuned_cases=1000)
    result = rt.estimate(more, measured, rt.Machine(threads=2, gpu=False))
    assert result.basis == rt.EXTRAPOLATED and "1000 > 240" in result.reason
    same = rt.Workload(tuned_cases=10)
    assert rt.estimate(same, measured, rt.Machine(threads=8, gpu=False)).basis == rt.EXTRAPOLATED
    assert "GPU" in rt.estimate(same, measured, rt.Machine(threads=2, gpu=True)).reason


def test_summary_table_has_one_column_per_profile(results_dir):
    wide = rt.summary_table(rt.estimate_table(rt.Machine(threads=2, gpu=False), results_dir=results_dir))
    assert list(wide.columns) == ["smoke", "cpu", "gpu"]
    assert list(wide.index) == sorted(rt.NOTEBOOKS)
    assert wide.loc["00_setup", "cpu"] == "seconds (no model)"
    assert wide.loc["06_evaluating_tool_calls", "gpu"] == "? (not measured)"


@pytest.mark.parametrize("seconds, text", [(None, "?"), (0.2, "< 1 s"), (42, "≈ 42 s"), (600, "≈ 10 min"),
                                           (5400, "≈ 1.5 h")])
def test_format_duration(seconds, text):
    assert rt.format_duration(seconds) == text


def test_measured_latency_prefers_the_latency_benchmark(results_dir):
    assert rt.measured_latency(results_dir)["source"].startswith("results/cpu_tuned.json")
    assert rt.measured_latency(results_dir)["p50_s"] == 0.8
    summary = {"p50": 0.3, "p95": 0.5, "mean": 0.35}
    (results_dir / "latency.json").write_text(json.dumps({"configurations": {
        "merged, no prefix cache": {"total_s": {"p50": 9, "p95": 9, "mean": 9}},
        "merged + prefix cache": {"total_s": summary, "first_token_s": {"p50": 0.1}, "n_requests": 24}}}))
    latency = rt.measured_latency(results_dir)
    assert (latency["p50_s"], latency["first_token_p50_s"], latency["n"]) == (0.3, 0.1, 24)
    assert rt.measured_latency(results_dir / "missing") is None


def test_profile_table_lists_every_profile():
    table = rt.profile_table()
    assert list(table.columns) == ["smoke", "cpu", "gpu"]
    assert table.loc["training steps (05)", "cpu"] == CPU.max_steps


def test_describe_names_the_sources(results_dir, tmp_path_factory):
    text = rt.load_measurements(results_dir).describe()
    assert "results/cpu_train_log.json" in text and "2.50 s per example" in text and "3.00 s per generated" in text
    empty = rt.load_measurements(tmp_path_factory.mktemp("empty")).describe()
    assert "make benchmark" in empty


def test_measured_request_tokens(results_dir):
    assert rt.measured_request_tokens(results_dir) is None  # the fixture has no cases
    tuned = {**eval_results(1.0, 0.8), "cases": [{"prompt_tokens": 1200, "generated_tokens": 30},
                                                 {"prompt_tokens": 1300, "generated_tokens": 50}]}
    (results_dir / "cpu_tuned.json").write_text(json.dumps(tuned))
    tokens = rt.measured_request_tokens(results_dir)
    assert (tokens["input_tokens"], tokens["output_tokens"], tokens["n"]) == (1250, 40, 2)


def test_notebook_list_matches_the_folder():
    from agentic_tuning.paths import REPO_ROOT

    assert tuple(sorted(p.stem for p in (REPO_ROOT / "notebooks").glob("*.ipynb"))) == rt.NOTEBOOKS


def test_embedded_notebooks_are_estimated_under_the_gpu_profile(results_dir):
    table = rt.estimate_table(rt.Machine(threads=2, gpu=True), results_dir=results_dir).set_index(["notebook", "profile"])
    diagnose = table.loc[("01_diagnosing_conversational_failures", "gpu")]
    assert diagnose.basis == rt.EXTRAPOLATED and "GPU" in diagnose.reason
    assert diagnose.seconds == pytest.approx((rt.SEED_REQUESTS + EVAL_EXAMPLES["gpu"]) * 3.0)
    assert table.loc[("02_tool_schemas_and_call_formats", "gpu")].estimate == "seconds"


def test_training_rate_uses_the_mean_step_so_totals_add_up():
    log = train_log(step_s=10.0, overhead=6.0, steps=4, batch=4)
    for step, extra in zip(log["steps"], (0, 0, 0, 10)):  # one long batch at the end
        step["elapsed_s"] += extra
    per_example, overhead = rt.training_rate(log)
    assert overhead + 4 * 4 * per_example == pytest.approx(log["steps"][-1]["elapsed_s"])
