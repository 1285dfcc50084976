import json
import math

from agentic_tuning import report
from agentic_tuning.formats import openai_to_hermes
from agentic_tuning.paths import REPO_ROOT, TOOLS_PATH
from agentic_tuning.provenance import describe_file

TOOLS = json.loads(TOOLS_PATH.read_text(encoding="utf-8"))


def openai_from_calls(calls):
    return {"role": "assistant", "content": None, "tool_calls": [
        {"id": f"call_{i}", "type": "function",
         "function": {"name": c["name"], "arguments": json.dumps(c["arguments"])}} for i, c in enumerate(calls)]}


UNREQUESTED_DELETE = {"reference": {"role": "assistant", "content": "You have two tasks.", "tool_calls": None},
                      "output": '<tool_call>\n{"name": "delete_all_tasks", "arguments": {"scope": "all"}}\n</tool_call>'}


def _results(value, cases=()):
    metrics = {key: value for key in report.ROWS}
    return {"overall": {**metrics, "n_cases": 10}, "by_category": {"single": {**metrics, "n_cases": 10}},
            "latency_s": {"p50": 1.0, "p95": 2.0}, "cases": list(cases)}


def test_headline_table_marks_targets():
    lines = report.headline_table(_results(0.0), _results(0.96))
    tool_row = next(line for line in lines if line.startswith("| tool selection accuracy"))
    exact_row = next(line for line in lines if line.startswith("| argument exact match"))
    assert "96.0% ✅" in tool_row and "≥ 95.0%" in tool_row
    assert "96.0% ✅" in exact_row
    assert "❌" in "\n".join(report.headline_table(_results(0.0), _results(0.5)))
    deletes = report.headline_table(_results(0.0), _results(0.5, [UNREQUESTED_DELETE]))
    assert "| deletes where none was asked (cases) | 0 of 10 | 1 of 10 | |" in deletes


def test_category_table_shows_base_to_tuned():
    lines = report.category_table(_results(0.25), _results(1.0))
    assert lines[-1] == "| single | 10 | 25.0% → 100.0% | 25.0% → 100.0% | 25.0% → 100.0% |"


def test_readme_results_section_matches_the_results_files():
    readme = (REPO_ROOT / "README.md").read_text()
    assert report.render_readme(readme, report.scored_runs_by_split()) == readme, "run python -m agentic_tuning.report"


def test_shortfalls_name_each_missed_target_and_its_gap():
    tuned = _results(0.5)
    lines = report.shortfalls(tuned)
    assert len(lines) == len(report.TARGETS)
    assert "tool selection accuracy: 50.0% against ≥ 95.0%, short by 45.0 points." in lines[1]
    assert report.shortfalls(_results(1.0)) == []


def test_generalisation_summary_puts_seen_wordings_before_unseen_ones():
    line = report.generalisation_summary(_results(0.8), _results(0.5))
    assert "10 validation conversations" in line
    assert "tool selection accuracy 80.0% → 50.0%" in line
    assert line.count("→") == 1 + len(report.TARGETS)


def test_latency_table_has_a_row_per_configuration_and_states_the_claim():
    summary = {"first_token_s": {"p50": None}, "total_s": {"p50": 1.5, "p95": 2.25}, "tokens_per_s": 12.34}
    latency = {"seed_claim": {"p95_s": [0.3, 0.5]}, "requests": "first 2 conversations",
               "machine": {"torch_threads": 2}, "configurations": {"merged": summary, "endpoint": summary}}
    lines = report.latency_table(latency)
    assert "p95 of 300-500 ms" in lines[0]
    assert lines[-2:] == ["| merged | – | 1.50 s | 2.25 s | 12.3 |", "| endpoint | – | 1.50 s | 2.25 s | 12.3 |"]


def test_wording_summary_counts_groups_and_names_the_ones_never_right():
    examples = [{"templates": ["delete_all/completed/test/0"]}] * 2 + [{"templates": ["create/test/1"]}] * 2
    tuned = {"cases": [{"index": i, "category": "single", "failure_class": fc}
                       for i, fc in enumerate(["wrong_tool", "wrong_tool", "correct", "correct"])]}
    lines = report.wording_summary(tuned, examples)
    assert "of the 2 (category, wording) groups asked at least twice, 1 are fully correct every time, 1 never" in lines[0]
    assert lines[2:] == ['- single: "Purge my finished tasks" (0 of 2)']


def test_argument_summary_counts_date_cases_and_lists_each_argument():
    reminder = {"name": "set_reminder", "arguments": {"task_id": "task_3", "remind_at": "2026-12-01T21:00"}}
    wrong_time = {**reminder, "arguments": {**reminder["arguments"], "remind_at": "2026-12-01T19:00", "note": "x"}}
    cases = [
        {"index": 0, "is_tool_case": True, "reference": openai_from_calls([reminder]),
         "output": openai_to_hermes(openai_from_calls([wrong_time]))},
        {"index": 1, "is_tool_case": True, "reference": openai_from_calls([{"name": "delete_task",
                                                                            "arguments": {"task_id": "task_9"}}]),
         "output": "I deleted it."},
    ]
    tuned = {"cases": cases, "overall": {"n_tool_cases": 2}}
    lines = report.argument_summary(tuned, [{"tools": TOOLS}] * 2)
    assert "1 of the 2 tool cases ask for a date or a time (due_date, remind_at)" in lines[0]
    assert "The model added 1 arguments nobody asked for (`note` 1);" in lines[0]
    assert lines[4:] == ["| remind_at | 1 | 1 | 0 (0.0%) | 0 |", "| task_id | 2 | 1 | 1 (100.0%) | 0 |",
                         "| note | 0 | 0 | 0 (–) | 1 |"]


def test_token_budget_summary_gives_the_tokens_of_each_example():
    budget = {"data": {"path": "data/train.jsonl"}, "shared_prefix_tokens": 1136, "shared_prefix_description_tokens": 140,
              "overall": {"n_examples": 3000, "per_example": 130.0, "trained": 50.0}}
    line = report.token_budget_summary(budget)
    assert "3000 examples of `data/train.jsonl`" in line and "the 1136-token tool-schema prefix" in line
    assert "adds 130 tokens on average that run forward and backward, 50 of them the trained assistant tokens." in line
    assert line.endswith("140 of the prefix's tokens are the descriptions of the tools and their arguments.")


def test_experiment_rows_show_layers_cost_and_results_per_run():
    tuned = _results(0.5, [UNREQUESTED_DELETE])
    tuned["overall"]["failure_classes"] = {"correct": 4}
    log = {"profile": {"layers_to_transform": [15, 16, 29], "learning_rate": 0.001, "seed": 0, "max_steps": 170,
                       "batch_size": 1, "gradient_accumulation_steps": 4},
           "examples_seen": 680, "wall_time_s": 1170, "tokens_per_s": 612.4}
    lines = report.experiment_rows({"upper": (log, tuned)})
    assert lines[-1] == "| upper | – | – | 15-29 | 1 | 1 | 0.001 | 0 | 680 (170 x 4) | 19.5 min | 612 | 50.0% | 50.0% | 50.0% | 50.0% | 4 of 10 | 1 |"
    assert lines[0].count("|") == lines[1].count("|") == lines[-1].count("|")
    log["data"] = {"path": "data/train.jsonl", "sha256": "ab2f21864ca5631b"}
    assert "| upper | – | `ab2f218` | 15-29 |" in report.experiment_rows({"upper": (log, tuned)})[-1]
    log["profile"].update(layers_to_transform=None, decision_token_weight=5.0, argument_key_weight=3.0,
                          learning_rate=0.002, seed=1)
    assert "| all | 5 | 3 | 0.002 | 1 |" in report.experiment_rows({"all": (log, tuned)})[-1]
    log["profile"]["prefix_refresh_steps"] = 4
    assert "| 680 (170 x 4, prefix every 4 steps) |" in report.experiment_rows({"all": (log, tuned)})[-1]
    log["profile"].update(bf16_autocast=True, example_attention="eager")
    assert "| 19.5 min, bf16 autocast, eager attention | 612 |" in report.experiment_rows({"all": (log, tuned)})[-1]
    log["profile"]["neftune_noise_alpha"] = 15.0
    assert "| 19.5 min, bf16 autocast, eager attention, NEFTune 15 | 612 |" in report.experiment_rows({"all": (log, tuned)})[-1]


def test_development_rows_put_each_runs_dev_score_before_its_test_score():
    dev, tuned = _results(0.9), _results(0.5)
    dev["overall"]["failure_classes"], tuned["overall"]["failure_classes"] = {"correct": 9}, {"correct": 5}
    lines = report.development_rows({"run": (dev, tuned)})
    assert lines[-1] == "| run | 90.0% / 50.0% | 90.0% / 50.0% | 90.0% / 50.0% | 90.0% / 50.0% | 9 / 5 |"
    assert lines[0].count("|") == lines[1].count("|") == lines[-1].count("|")
    dev_only = report.development_rows({"lost on dev": (dev, None)})[-1]
    assert dev_only == "| lost on dev | 90.0% / – | 90.0% / – | 90.0% / – | 90.0% / – | 9 / – |"


def test_wide_development_rows_give_fully_correct_cases_with_their_clustered_error(tmp_path):
    data = tmp_path / "dev_wide.jsonl"
    templates = [["create/dev_wide/0"], ["create/dev_wide/0"], ["delete/dev_wide/0"], ["delete/dev_wide/1"]]
    data.write_text("".join(json.dumps({"templates": t}) + "\n" for t in templates))
    wide = _results(0.75, cases=[{"index": i, "category": "single", "failure_class": failure, **UNREQUESTED_DELETE}
                                 for i, failure in enumerate(["correct", "correct", "wrong_tool", "correct"])])
    wide["overall"]["failure_classes"] = {"correct": 3, "wrong_tool": 1}
    wide["data"] = describe_file(data)
    lines = report.wide_development_rows({"run": (None, wide)})
    # groups 2/2, 0/1 and 1/1 of 4 cases at share 0.75: residuals 0.5, -0.75 and 0.25
    error = math.sqrt(3 / 2 * (0.5 ** 2 + 0.75 ** 2 + 0.25 ** 2)) / 4
    assert lines[-1] == f"| run | – | 3 (75.0% ± {100 * error:.1f}) | 75.0% | 75.0% | 75.0% | 4 |"
    assert lines[0].count("|") == lines[1].count("|") == lines[-1].count("|")


def test_scored_elsewhere_names_the_file_of_a_run_scored_on_a_copy_of_the_split():
    committed = {"data": {"path": "data/dev.jsonl"}}
    assert report.scored_elsewhere({"data": {"path": "data/dev.jsonl"}}, committed) is None
    assert (report.scored_elsewhere({"data": {"path": "data/described_tools/dev.jsonl"}}, committed)
            == "scored on `data/described_tools/dev.jsonl`")


def test_dev_split_agreement_ranks_the_runs_scored_on_both_splits():
    def scored(correct):
        return {"overall": {"failure_classes": {"correct": correct}}}

    runs = {"a": (scored(200), scored(170)), "b": (scored(210), scored(180)), "c": (scored(205), scored(190))}
    assert report.dev_split_agreement(runs) == (
        "Over the 3 runs scored on both, dev's fully correct cases range from 200 to 210 and the wide split's from "
        "170 to 190; the two rank the runs with a Spearman correlation of 0.50.")
    assert report.dev_split_agreement({**runs, "d": (None, scored(150))}) == report.dev_split_agreement(runs)
    assert report.dev_split_agreement({"a": runs["a"], "b": runs["b"]}) is None


def test_date_form_tells_computed_dates_from_the_users_words():
    def results(*values):
        return {"cases": [{"reference": openai_from_calls([{"name": "set_reminder", "arguments": {
            "task_id": "task_1", "remind_at": value}}])} for value in values]}

    assert report.date_form(results("2027-08-27T21:15", "2026-09-25")) == "ISO"
    assert report.date_form(results("2027-08-27T21:15", "tomorrow at 9am")) == "words"
    assert report.date_form({"cases": [{"reference": {"role": "assistant", "content": "Hi"}}]}) == "–"


def test_token_loss_summary_puts_each_model_side_by_side():
    def measured(share, loss):
        return {"n_conversations": 120, "data": {"path": "data/valid.jsonl"},
                "decision": {"share_of_tokens": 0.09, "mean_loss": loss, "share_of_loss": share},
                "other": {"mean_loss": 0.05}}

    line = report.token_loss_summary({"new": measured(0.2, 0.3), "old": measured(0.5, 0.9)})
    assert "120 conversations of `data/valid.jsonl`" in line
    assert "new: 9.0% of the trained tokens, mean loss 0.300 against 0.050 for the rest, 20.0% of the loss" in line
    assert line.endswith("old: 9.0% of the trained tokens, mean loss 0.900 against 0.050 for the rest, 50.0% of the loss.")


def test_training_summary_says_when_the_loss_is_weighted():
    log = {"profile": {"name": "cpu", "max_steps": 2, "batch_size": 1, "gradient_accumulation_steps": 4,
                       "decision_token_weight": 5.0},
           "backend": "peft", "torch_threads": 2, "examples_seen": 8, "wall_time_s": 60, "tokens_per_s": 10,
           "shared_prefix_tokens": 100, "final_loss": 0.5, "peak_memory": {"cpu_rss_mb": 1024}}
    assert "final loss 0.500 (decision tokens weighted 5x, not comparable" in report.training_summary(log)
    log["profile"]["argument_key_weight"] = 2.0
    assert "final loss 0.500 (decision tokens weighted 5x, argument keys weighted 2x, not" in report.training_summary(log)
    log["profile"].update(decision_token_weight=1.0, argument_key_weight=1.0)
    assert "final loss 0.500, peak memory 1.0 GB." in report.training_summary(log)


def test_reproduction_summary_counts_what_the_rerun_matched():
    comparison = {
        "folders": ["results", "results/experiments/rerun"],
        "training": {"steps": 120, "same_loss": 120, "wall_time_s": [1168.2, 1100.0],
                     "git_commit": ["1b9b935ce4cb", "b6ac314aaaaa"]},
        "test": {"cases": 240, "same_output": 239},
        "valid": {"cases": 120, "same_output": 120},
    }
    text = report.reproduction_summary(comparison)
    assert "the committed run (commit 1b9b935) against a second run of the same settings" in text
    assert "(`results/experiments/rerun`, commit b6ac314)" in text
    assert "120 of 120 training steps" in text
    assert "239 of 240 test answers and 120 of 120 validation answers are identical" in text
    assert "18.3 min there against 19.5 min" in text
    comparison["dev"] = {"cases": 240, "same_output": 240}
    text = report.reproduction_summary(comparison)
    assert "239 of 240 test answers, 120 of 120 validation answers and 240 of 240 dev answers are identical" in text
    comparison["dev_wide"] = {"cases": 240, "same_output": 238}
    assert "240 of 240 dev answers and 238 of 240 wide dev answers are identical" in report.reproduction_summary(comparison)
    test_only = {key: value for key, value in comparison.items() if key not in ("valid", "dev", "dev_wide")}
    assert "logged the same loss, 239 of 240 test answers are identical;" in report.reproduction_summary(test_only)


def test_evaluation_summary_adds_up_the_generation_times():
    def results(*latencies):
        return {"settings": {"torch_threads": 2}, "cases": [{"latency_s": value} for value in latencies]}

    line = report.evaluation_summary({"tuned on the test split": results(30.0, 60.0), "base on the test split": results(120.0)})
    assert line == ("Evaluation time (the sum of each case's generation time, 2 CPU threads): "
                    "tuned on the test split 1.5 min, base on the test split 2.0 min.")


def test_gpu_training_rows_give_the_device_backend_and_cost_of_each_run():
    log = {"profile": {"load_in_4bit": True, "max_steps": 220, "batch_size": 4, "gradient_accumulation_steps": 1,
                       "neftune_noise_alpha": 15.0},
           "device": "cuda:NVIDIA H200", "backend": "unsloth", "examples_seen": 880, "wall_time_s": 64.4,
           "tokens_per_s": 17686.7, "peak_memory": {"cpu_rss_mb": 2591.0, "gpu_allocated_mb": 2892.6},
           "final_loss": 0.02185}
    lines = report.gpu_training_rows({"run": log})
    assert lines[-1] == "| run | NVIDIA H200 | unsloth | 4-bit | 880 (220 x 4) | 64 s, NEFTune 15 | 17687 | 2.8 GB | 0.022 |"
    assert lines[0].count("|") == lines[1].count("|") == lines[-1].count("|")
    log["profile"]["load_in_4bit"] = False
    assert "| unsloth | 16-bit |" in report.gpu_training_rows({"run": log})[-1]
