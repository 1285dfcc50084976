"""Write the README's results section from the committed results files.

``python -m agentic_tuning.report`` rewrites the text between the ``results:start`` and
``results:end`` markers of README.md; ``--check`` fails when the README no longer matches
the results files. No figure in that section is typed by hand. It also draws
results/run_scores.png, every scored run against the targets, which that section shows.
"""

from __future__ import annotations

import argparse
import re
import sys

import pandas as pd

from .argument_accuracy import accuracy_by_argument, tool_cases_asking_for
from .conversations import reference_calls
from .gpu_results import gpu_run_folders, gpu_scores, gpu_train_logs
from .paths import REPO_ROOT, RESULTS_DIR
from .recipe_seeds import cpu_name, means_summary, recipe_rows, recipe_runs
from .scored_runs import CPU_RESULTS_FILES, GPU_RESULTS_FILES, ScoredRun, fully_correct, read_results, scored_runs
from .training.profiles import logged_examples_per_step
from .unrequested_deletes import cases_with_unrequested_deletes
from .wording_accuracy import accuracy_by_wording, consistency, fully_correct_standard_error, load_scored_examples

START, END = "<!-- results:start -->", "<!-- results:end -->"
TARGETS = {
    "json_validity": 0.99,
    "tool_selection_accuracy": 0.95,
    "argument_exact_match": 0.90,
    "no_tool_accuracy": 0.90,
}
ROWS = {
    "json_validity": "JSON validity",
    "strict_format_rate": "strict format (nothing but calls)",
    "schema_validity": "schema validity",
    "tool_selection_accuracy": "tool selection accuracy",
    "argument_exact_match": "argument exact match",
    "argument_f1": "argument F1",
    "no_tool_accuracy": "no-tool accuracy",
    "false_call_rate": "false-call rate (no-tool cases)",
}

UNREQUESTED_DELETES = "deletes where none was asked (cases)"
RUN_SCORES_PLOT = RESULTS_DIR / "run_scores.png"


def _pct(value) -> str:
    return "–" if value is None else f"{100 * value:.1f}%"


def _load(name: str) -> dict | None:
    return read_results(RESULTS_DIR / name)


def headline_table(base: dict, tuned: dict) -> list[str]:
    lines = ["| metric | base | tuned | target |", "|---|---:|---:|---:|"]
    for key, label in ROWS.items():
        target = TARGETS.get(key)
        mark = ""
        if target is not None and tuned["overall"][key] is not None:
            mark = " ✅" if tuned["overall"][key] >= target else " ❌"
        target_text = f"≥ {_pct(target)}" if target is not None else ""
        lines.append(f"| {label} | {_pct(base['overall'][key])} | {_pct(tuned['overall'][key])}{mark} | {target_text} |")
    deletes = [f"{len(cases_with_unrequested_deletes(r))} of {r['overall']['n_cases']}" for r in (base, tuned)]
    lines.append(f"| {UNREQUESTED_DELETES} | {deletes[0]} | {deletes[1]} | |")
    for name, results in (("base", base), ("tuned", tuned)):
        latency = results["latency_s"]
        lines.append(f"| latency p50 / p95, {name} | {latency['p50']:.2f} s / {latency['p95']:.2f} s | | |")
    return lines


def shortfalls(tuned: dict) -> list[str]:
    """One line per missed course target, with the gap in percentage points."""
    lines = []
    for key, target in TARGETS.items():
        value = tuned["overall"][key]
        if value is not None and value < target:
            lines.append(f"- {ROWS[key]}: {_pct(value)} against ≥ {_pct(target)}, "
                         f"short by {100 * (target - value):.1f} points.")
    return lines


def category_table(base: dict, tuned: dict) -> list[str]:
    keys = ("tool_selection_accuracy", "argument_exact_match", "no_tool_accuracy")
    lines = ["| category | n | " + " | ".join(f"{ROWS[k]} (base → tuned)" for k in keys) + " |",
             "|---|---:|" + "---:|" * len(keys)]
    for category, metrics in tuned["by_category"].items():
        before = base["by_category"].get(category, {})
        cells = [f"{_pct(before.get(k))} → {_pct(metrics[k])}" for k in keys]
        lines.append(f"| {category} | {metrics['n_cases']} | " + " | ".join(cells) + " |")
    return lines


def training_summary(log: dict) -> str:
    profile = log["profile"]
    return (
        f"Training ({profile['name']} profile, {log['backend']} backend, {log['torch_threads']} CPU threads): "
        f"{profile['max_steps']} steps x {logged_examples_per_step(profile)} examples "
        f"= {log['examples_seen']} examples "
        f"in {log['wall_time_s'] / 60:.1f} min, {log['tokens_per_s']:.0f} example tokens/s "
        f"(the shared {log['shared_prefix_tokens']}-token tool prefix counted per example), "
        f"final loss {log['final_loss']:.3f}{_loss_weighting(profile)}, "
        f"peak memory {log['peak_memory']['cpu_rss_mb'] / 1024:.1f} GB."
    )


def evaluation_summary(evaluations: dict[str, dict]) -> str:
    """How long each evaluation generated: the sum of its cases' ``latency_s`` (model loading left out)."""
    cells = [f"{name} {sum(case['latency_s'] for case in results['cases']) / 60:.1f} min"
             for name, results in evaluations.items()]
    return ("Evaluation time (the sum of each case's generation time, "
            f"{next(iter(evaluations.values()))['settings']['torch_threads']} CPU threads): " + ", ".join(cells) + ".")


def reproduction_summary(comparison: dict) -> str:
    """``results/reproduction.json`` (``agentic_tuning.run_comparison``): a second run against the committed run."""
    training, (committed, rerun) = comparison["training"], comparison["training"]["git_commit"]
    other = comparison["folders"][1]
    minutes = [f"{seconds / 60:.1f} min" for seconds in training["wall_time_s"]]
    answers = [f"{comparison[split]['same_output']} of {comparison[split]['cases']} {label} answers"
               for split, label in (("test", "test"), ("valid", "validation"), ("dev", "dev"), ("dev_wide", "wide dev"))
               if split in comparison]
    listed = answers[0] if len(answers) == 1 else f"{', '.join(answers[:-1])} and {answers[-1]}"
    return (
        f"Reproduction (`python -m agentic_tuning.run_comparison`, `results/reproduction.json`): the committed run "
        f"(commit {committed[:7]}) against a second run of the same settings (`{other}`, commit {rerun[:7]}): "
        f"{training['same_loss']} of {training['steps']} training steps logged the same loss, "
        f"{listed} are identical; training took {minutes[1]} there against {minutes[0]}."
    )


def token_budget_summary(budget: dict) -> str:
    """``results/token_budget.json``: what each training example costs after the shared prefix."""
    mean = budget["overall"]
    source = f"`python -m agentic_tuning.token_budget`, `results/token_budget.json`, {mean['n_examples']} examples " \
             f"of `{budget['data']['path']}`"
    return (f"Where a training example's tokens go ({source}): the {budget['shared_prefix_tokens']}-token tool-schema "
            "prefix runs once per optimizer step without gradients; each example then adds "
            f"{mean['per_example']:.0f} tokens on average that run forward and backward, {mean['trained']:.0f} "
            f"of them the trained assistant tokens. {budget['shared_prefix_description_tokens']} of the prefix's "
            "tokens are the descriptions of the tools and their arguments.")


def _loss_weighting(profile: dict) -> str:
    weights = {"decision tokens": profile.get("decision_token_weight", 1.0),
               "argument keys": profile.get("argument_key_weight", 1.0)}
    weighted = [f"{tokens} weighted {weight:g}x" for tokens, weight in weights.items() if weight != 1.0]
    return f" ({', '.join(weighted)}, not comparable with an unweighted loss)" if weighted else ""


def generalisation_summary(valid: dict, tuned: dict) -> str:
    """The tuned model on the validation split (training phrasings) next to the test split (held-out ones)."""
    cells = [f"{ROWS[metric]} {_pct(valid['overall'][metric])} → {_pct(tuned['overall'][metric])}" for metric in TARGETS]
    return (
        f"Seen vs unseen wordings: the tuned model on the {valid['overall']['n_cases']} validation conversations "
        f"(phrasings, values and dates from the training pools) → on the held-out test split: " + "; ".join(cells) + "."
    )


def wording_summary(tuned: dict, examples: list[dict], n_worst: int = 5) -> list[str]:
    """How many held-out wordings the tuned model gets right every time, never, or sometimes."""
    rows = accuracy_by_wording(tuned, examples)
    summary = consistency(rows)
    never = [row for row in rows if row["n_cases"] >= 2 and row["n_correct"] == 0][:n_worst]
    return [
        f"Per held-out wording (`python -m agentic_tuning.wording_accuracy results/cpu_tuned.json` lists them all): "
        f"of the {summary['groups']} (category, wording) groups asked at least twice, {summary['all_right']} are "
        f"fully correct every time, {summary['all_wrong']} never and {summary['mixed']} sometimes; "
        f"{summary['cases_in_all_or_nothing_groups']} of their {summary['cases']} cases sit in all-or-nothing groups. "
        f"The largest groups the tuned model never gets right:",
        "",
        *[f"- {row['category']}: \"{row['wording']}\" (0 of {row['n_cases']})" for row in never],
    ]


DATE_ARGUMENTS = {"due_date", "remind_at"}


def argument_summary(tuned: dict, examples: list[dict]) -> list[str]:
    """Per argument name: how often the tuned model called the right tool, then got the value right, and added
    the argument unasked."""
    n_dated = tool_cases_asking_for(tuned, DATE_ARGUMENTS)
    rows = accuracy_by_argument(tuned, examples)
    added = sorted((row for row in rows if row["n_unasked"]), key=lambda row: -row["n_unasked"])
    named = ", ".join(f"`{row['argument']}` {row['n_unasked']}" for row in added)
    lines = [
        "Per argument (`python -m agentic_tuning.argument_accuracy results/cpu_tuned.json`): how often the tuned "
        "model called the tool an argument belongs to, how often it then gave the reference value, and how often it "
        "added the argument to a call of the right tool where the user never gave it (*unasked*). "
        f"{n_dated} of the {tuned['overall']['n_tool_cases']} tool cases ask for a date or a time "
        f"({', '.join(sorted(DATE_ARGUMENTS))}). The model added {sum(row['n_unasked'] for row in added)} "
        f"arguments nobody asked for{f' ({named})' if named else ''}; each makes its case miss argument exact "
        "match, whatever its other values.",
        "",
        "| argument | asked | right tool called | right value (of those) | unasked |",
        "|---|---:|---:|---:|---:|",
    ]
    for row in rows:
        share = "–" if row["accuracy"] is None else _pct(row["accuracy"])
        lines.append(f"| {row['argument']} | {row['n_reference']} | {row['n_called']} | {row['n_matched']} ({share}) "
                     f"| {row['n_unasked']} |")
    return lines


def date_form(results: dict) -> str:
    """How the reference calls a results file was scored on carry dates: "words" (the user's phrase,
    which the executor resolves) or "ISO" (a date the model had to compute); "–" without dates."""
    values = [value for case in results.get("cases", []) for call in reference_calls(case["reference"])
              for key, value in call["arguments"].items() if key in DATE_ARGUMENTS]
    if not values:
        return "–"
    return "ISO" if all(re.fullmatch(r"\d{4}-\d{2}-\d{2}(T\d{2}:\d{2})?", value) for value in values) else "words"


def train_split(log: dict) -> str:
    """The first 7 hex digits of the sha256 of the train split a training log says it saw."""
    sha = log.get("data", {}).get("sha256")
    return f"`{sha[:7]}`" if sha else "–"


def _refresh(profile: dict) -> str:
    refresh = profile.get("prefix_refresh_steps", 1)
    return f", prefix every {refresh} steps" if refresh != 1 else ""


def _kernels(profile: dict) -> str:
    """How the prefix-sharing trainer ran its passes, when not as committed: bf16 autocast, eager attention."""
    kernels = ["bf16 autocast"] if profile.get("bf16_autocast") else []
    if profile.get("example_attention", "sdpa") != "sdpa":
        kernels.append(f"{profile['example_attention']} attention")
    return "".join(f", {kernel}" for kernel in kernels)


def _noise(profile: dict) -> str:
    """NEFTune's alpha, when the run added noise to the embeddings of its examples."""
    alpha = profile.get("neftune_noise_alpha")
    return f", NEFTune {alpha:g}" if alpha else ""


def _learning_rate(profile: dict) -> str:
    """The learning rate, the LoRA+ ratio of the B matrices' learning rate to it when not 1, and the
    schedule when not linear."""
    ratio = profile.get("loraplus_lr_ratio", 1.0)
    schedule = profile.get("lr_scheduler_type", "linear")
    return (f"{profile['learning_rate']:g}" + (f" (B x{ratio:g}, LoRA+)" if ratio != 1.0 else "")
            + (f", {schedule}" if schedule != "linear" else ""))


def experiment_rows(runs: dict[str, tuple[dict, dict]]) -> list[str]:
    """The committed run next to each ablation: training cost and held-out test results.

    Tokens/s tells machines apart: runs on the same data and step count process the same tokens, so
    a slower machine shows as a longer training time at a lower rate, not as a costlier recipe.
    The train split column is the start of the sha256 of the ``data/train.jsonl`` a run trained on.
    """
    keys = tuple(TARGETS)
    lines = ["| run | dates in calls | train split | LoRA layers | decision-token weight | argument-key weight | "
             "learning rate | seed | examples (steps x per step) | training | example tokens/s | " + " | ".join(ROWS[k] for k in keys)
             + " | fully correct | deletes where none was asked |",
             "|---|---|---|---|---:|---:|---:|---:|---:|---:|---:|" + "---:|" * (len(keys) + 2)]
    for name, (log, tuned) in runs.items():
        profile = log["profile"]
        layers = profile.get("layers_to_transform")
        span = "all" if not layers else f"{min(layers)}-{max(layers)}"
        weights = f"{profile.get('decision_token_weight', 1.0):g} | {profile.get('argument_key_weight', 1.0):g}"
        cells = [_pct(tuned["overall"][k]) for k in keys]
        correct = fully_correct(tuned)
        lines.append(f"| {name} | {date_form(tuned)} | {train_split(log)} | {span} | {weights} | {_learning_rate(profile)} | {profile['seed']} | "
                     f"{log['examples_seen']} ({profile['max_steps']} x {logged_examples_per_step(profile)}{_refresh(profile)}) | "
                     f"{log['wall_time_s'] / 60:.1f} min{_kernels(profile)}{_noise(profile)} | {log['tokens_per_s']:.0f} | "
                     + " | ".join(cells) + f" | {correct} of {tuned['overall']['n_cases']} | "
                     f"{len(cases_with_unrequested_deletes(tuned))} |")
    return lines


def experiments_section(log: dict, tuned: dict) -> list[str]:
    """``experiment_rows`` for the committed run and every folder under results/experiments/."""
    runs = {"committed (`configs/cpu.json`)": (log, tuned)}
    for folder in sorted(path.parent for path in (RESULTS_DIR / "experiments").glob("*/cpu_tuned.json")):
        runs[f"`{folder.name}`"] = (read_results(folder / "cpu_train_log.json"), read_results(folder / "cpu_tuned.json"))
    return [
        "Ablations (`results/experiments/<name>/`, each with the `profile.json` it ran; `make benchmark "
        "BENCHMARK_ARGS=\"--skip-base --profile <that file>\"` reruns one on the current data). *Dates in calls* tells "
        "the two versions of the data apart: `words` runs were trained and scored on calls that carry the user's "
        "date phrase, `ISO` runs on the earlier data, where the model had to compute every date from a calendar in "
        "the system prompt (rerun them from commit 8f46794), so their scores are not comparable point for point. "
        "*Train split* starts the sha256 of the `data/train.jsonl` a run trained on (the `data` of its training "
        f"log; the committed run's is {train_split(log)}): a row with another split trained on other examples, "
        "and the `ISO` rows aside, its `profile.json` names the commit to rerun it from, as does the profile of a "
        "row that ran the committed settings on other code:",
        "",
        *experiment_rows(runs),
    ]


def development_rows(runs: dict[str, tuple[dict, dict | None]]) -> list[str]:
    """Each run's scores on the dev split next to the test split, as "dev / test" cells; a run that
    was not scored on the test split (its change lost on dev) shows "–" there."""
    keys = tuple(TARGETS)
    lines = ["| run | " + " | ".join(ROWS[k] for k in keys) + " | fully correct |",
             "|---|" + "---:|" * (len(keys) + 1)]
    for name, (dev, tuned) in runs.items():
        test = tuned["overall"] if tuned else {}
        cells = [f"{_pct(dev['overall'][k])} / {_pct(test[k]) if test else '–'}" for k in keys]
        correct = [str(fully_correct(results)) if results else "–" for results in (dev, tuned)]
        lines.append(f"| {name} | " + " | ".join(cells) + f" | {correct[0]} / {correct[1]} |")
    return lines


def scored_elsewhere(results: dict, committed: dict) -> str | None:
    """"scored on `<file>`" for results scored on another file than the committed run's, such as a copy of the split
    with its tools described otherwise (``data/described_tools/``); else None."""
    path = results["data"]["path"]
    return None if path == committed["data"]["path"] else f"scored on `{path}`"


def development_section(tuned: dict, dev: dict) -> list[str]:
    """The committed run and every ablation scored on ``data/dev.jsonl`` or a copy of it, against their test scores."""
    runs = {"committed (`configs/cpu.json`)": (dev, tuned)}
    for path in sorted((RESULTS_DIR / "experiments").glob("*/cpu_tuned_dev.json")):
        results = read_results(path)
        name = f"`{path.parent.name}`" + (f" ({note})" if (note := scored_elsewhere(results, dev)) else "")
        runs[name] = (results, read_results(path.parent / "cpu_tuned.json"))
    return [
        f"Development split (`data/dev.jsonl`, {dev['overall']['n_cases']} conversations whose wordings are held out "
        "from train and from test, with the test split's values and dates; `cpu_tuned_dev.json` beside each run's "
        "`cpu_tuned.json`). Changes to the data or the recipe are chosen on it, so that the test split keeps measuring wordings "
        "nobody tuned for. Each cell is dev / test:",
        "",
        *development_rows(runs),
    ]


def fully_correct_cell(results: dict) -> str:
    """Fully correct cases, their share and its standard error clustered by wording, e.g. "210 (87.5% ± 2.9)"."""
    error = fully_correct_standard_error(accuracy_by_wording(results, load_scored_examples(results)))
    return (f"{fully_correct(results)} ({_pct(error['share'])} "
            f"± {100 * error['clustered']:.1f})")


def wide_development_runs(dev: dict, dev_wide: dict) -> dict[str, tuple[dict | None, dict]]:
    """(dev, wide dev) results of the committed run and of every CPU experiment and GPU run scored on the wide
    dev split, each named with the CPU it trained on or as a GPU run; dev is None for a run not scored on it."""
    runs = {f"committed (`configs/cpu.json`, {cpu_name(_load('cpu_train_log.json'))})": (dev, dev_wide)}
    for path in sorted((RESULTS_DIR / "experiments").glob(f"*/{CPU_RESULTS_FILES['dev_wide']}")):
        wide = read_results(path)
        notes = [cpu_name(read_results(path.parent / "cpu_train_log.json")), scored_elsewhere(wide, dev_wide)]
        runs[f"`{path.parent.name}` ({', '.join(note for note in notes if note)})"] = (
            read_results(path.parent / CPU_RESULTS_FILES["dev"]), wide)
    for folder in gpu_run_folders():
        if (wide := read_results(folder / GPU_RESULTS_FILES["dev_wide"])) is not None:
            runs[f"`{folder.name}` (GPU)"] = (read_results(folder / GPU_RESULTS_FILES["dev"]), wide)
    return runs


def wide_development_section(dev: dict, dev_wide: dict) -> list[str]:
    """Every run scored on ``data/dev_wide.jsonl``, its fully correct cases there and on dev with their
    standard errors, so the two splits' steadiness can be compared."""
    def wording_groups(results: dict) -> str:
        rows = accuracy_by_wording(results, load_scored_examples(results))
        return f"{len(rows)} wording groups, each asked at most {max(row['n_cases'] for row in rows)} times"

    return [
        f"Wide development split (`data/dev_wide.jsonl`, {dev_wide['overall']['n_cases']} conversations like dev's, "
        f"from a wording pool of its own with more wordings per request type, dealt evenly: {wording_groups(dev_wide)}, "
        f"against {wording_groups(dev)} on dev; a group is a category and its wordings. "
        "`cpu_tuned_dev_wide.json` lies beside each run's `cpu_tuned_dev.json`.) A model tends to get a "
        "wording right every time or never, so the wordings, not the cases, are the draws: the ± is the standard "
        "error of the fully correct share clustered by wording group (`python -m agentic_tuning.wording_accuracy`).",
        "",
        *wide_development_rows(runs := wide_development_runs(dev, dev_wide)),
        *(["", agreement] if (agreement := dev_split_agreement(runs)) else []),
    ]


def dev_split_agreement(runs: dict[str, tuple[dict | None, dict]]) -> str | None:
    """How alike the two dev splits rank the runs scored on both (Spearman's correlation of their fully correct
    counts, ties ranked by their mean); None below three such runs."""
    pairs = [(fully_correct(dev), fully_correct(wide)) for dev, wide in runs.values() if dev]
    if len(pairs) < 3:
        return None
    ranks = pd.DataFrame(pairs, columns=["dev", "wide"]).rank()
    rho = ranks["dev"].corr(ranks["wide"])
    dev_counts, wide_counts = zip(*pairs)
    return (f"Over the {len(pairs)} runs scored on both, dev's fully correct cases range from {min(dev_counts)} to "
            f"{max(dev_counts)} and the wide split's from {min(wide_counts)} to {max(wide_counts)}; the two rank the "
            f"runs with a Spearman correlation of {rho:.2f}.")


def wide_development_rows(runs: dict[str, tuple[dict | None, dict]]) -> list[str]:
    """A table row per run of ``wide_development_runs``: fully correct on dev and on the wide dev split, then the
    wide split's headline scores."""
    lines = ["| run | dev: fully correct | wide dev: fully correct | wide dev: tool selection | "
             f"wide dev: argument exact match | wide dev: no-tool | wide dev: {UNREQUESTED_DELETES} |",
             "|---|---:|---:|---:|---:|---:|---:|"]
    for name, (dev, wide) in runs.items():
        overall = wide["overall"]
        lines.append(f"| {name} | {fully_correct_cell(dev) if dev else '–'} | {fully_correct_cell(wide)} "
                     f"| {_pct(overall['tool_selection_accuracy'])} | {_pct(overall['argument_exact_match'])} "
                     f"| {_pct(overall['no_tool_accuracy'])} | {len(cases_with_unrequested_deletes(wide))} |")
    return lines


def recipe_runs_section() -> list[str]:
    """The committed recipe's own runs (``agentic_tuning.recipe_seeds``), per seed and CPU, with their means."""
    runs = recipe_runs()
    return [
        "The committed recipe's own runs (`python -m agentic_tuning.recipe_seeds`): the committed run and the "
        "experiments that trained `configs/cpu.json` with the committed code, another seed or another CPU being "
        "all that differs. The same seed trains another model on a CPU whose bf16 kernels round differently, so "
        "each round of the table above is measured against these runs on the CPU named beside it (from its "
        "`cpu_train_log.json`).",
        "",
        *recipe_rows(runs),
        "",
        means_summary(runs),
    ]


def gpu_training_rows(logs: dict[str, dict]) -> list[str]:
    """What each GPU run trained on and how long it took: the device, the backend, 4-bit base weights or not."""
    lines = ["| run | device | backend | base weights | examples (steps x per step) | training | tokens/s | "
             "peak GPU memory | final loss |",
             "|---|---|---|---|---:|---:|---:|---:|---:|"]
    for name, log in logs.items():
        profile = log["profile"]
        weights = "4-bit" if profile.get("load_in_4bit") else "16-bit"
        lines.append(f"| {name} | {log['device'].removeprefix('cuda:')} | {log['backend']} | {weights} | "
                     f"{log['examples_seen']} ({profile['max_steps']} x {logged_examples_per_step(profile)}) | "
                     f"{log['wall_time_s']:.0f} s{_noise(profile)} | {log['tokens_per_s']:.0f} | "
                     f"{log['peak_memory']['gpu_allocated_mb'] / 1024:.1f} GB | {log['final_loss']:.3f} |")
    return lines


def gpu_section(dev: dict, tuned: dict) -> list[str]:
    """The runs under results/gpu/: trained on a GPU, scored on the CPU by ``agentic_tuning.evaluate``; their
    scores follow the committed CPU run's (``dev`` and ``tuned``, its dev and test results)."""
    logs = gpu_train_logs()
    if not logs:
        return []
    return [
        "Trained on a GPU (`results/gpu/<name>/`, each with the `profile.json` it ran; "
        "[docs/gpu.md](docs/gpu.md) tells how): the embedded model through the Unsloth backend. "
        "Each adapter was scored afterwards on this CPU with the same evaluator, its LoRA weights on the plain "
        "(not 4-bit) base model:",
        "",
        *gpu_training_rows({f"`{name}`": log for name, log in logs.items()}),
        "",
        "Their scores, dev / test, after the committed CPU run's:",
        "",
        *development_rows({"committed (`configs/cpu.json`, CPU)": (dev, tuned),
                           **{f"`{name}`": scores for name, scores in gpu_scores().items()}}),
    ]


def run_scores_summary(runs_by_split: dict[str, list[ScoredRun]]) -> str:
    """What the run-scores plot shows, in numbers: how many runs each split scored, how many met both
    targets, and the closest run to them on each split."""
    parts = []
    for split, runs in runs_by_split.items():
        best = max(runs, key=lambda run: min(run.tool_selection / TARGETS["tool_selection_accuracy"],
                                             run.argument_exact_match / TARGETS["argument_exact_match"]))
        met = sum(run.meets(TARGETS) for run in runs)
        parts.append(f"on {split}, {len(runs)} runs, {met} of them meeting both targets; the closest, `{best.name}`, "
                     f"at {_pct(best.tool_selection)} tool selection and {_pct(best.argument_exact_match)} argument "
                     "exact match")
    return ("Every run scored on the splits as they are now, CPU experiments and GPU runs, by tool selection and "
            "argument exact match (`results/run_scores.png`, drawn by `python -m agentic_tuning.report` from the "
            "results files above): " + "; ".join(parts) + ".")


def token_loss_summary(measurements: dict[str, dict]) -> str:
    """``token_loss`` results side by side: how much of each model's loss sits on decision tokens."""
    cells = [f"{name}: {100 * m['decision']['share_of_tokens']:.1f}% of the trained tokens, mean loss "
             f"{m['decision']['mean_loss']:.3f} against {m['other']['mean_loss']:.3f} for the rest, "
             f"{100 * m['decision']['share_of_loss']:.1f}% of the loss"
             for name, m in measurements.items()]
    first = next(iter(measurements.values()))
    return (f"Loss on the tokens that decide (turn openings and tool names; `python -m agentic_tuning.token_loss`, "
            f"{first['n_conversations']} conversations of `{first['data']['path']}`): " + "; ".join(cells) + ".")


def _seconds(value) -> str:
    return "–" if value is None else f"{value:.2f} s"


def latency_table(latency: dict) -> list[str]:
    """``results/latency.json`` (``make latency``) as a table, against the seed's claim."""
    low, high = latency["seed_claim"]["p95_s"]
    lines = [
        f"Latency of the tuned model per request ({latency['requests']}, "
        f"{latency['machine']['torch_threads']} CPU threads; `make latency`, `results/latency.json`). "
        f"The seed's claim for a local agentic model is a p95 of {1000 * low:.0f}-{1000 * high:.0f} ms.",
        "",
        "| configuration | first token p50 | total p50 | total p95 | tokens/s |",
        "|---|---:|---:|---:|---:|",
    ]
    for name, summary in latency["configurations"].items():
        lines.append(f"| {name} | {_seconds(summary['first_token_s']['p50'])} | {_seconds(summary['total_s']['p50'])} "
                     f"| {_seconds(summary['total_s']['p95'])} | {summary['tokens_per_s']:.1f} |")
    return lines


def results_section(runs_by_split: dict[str, list[ScoredRun]]) -> str:
    """The README's results section; ``runs_by_split`` (``scored_runs_by_split``) for the run-scores summary."""
    base, tuned, log = _load("cpu_base.json"), _load("cpu_tuned.json"), _load("cpu_train_log.json")
    valid, dev, reproduction = _load("cpu_tuned_valid.json"), _load("cpu_tuned_dev.json"), _load("reproduction.json")
    dev_wide = _load(CPU_RESULTS_FILES["dev_wide"])
    token_budget = _load("token_budget.json")
    if not (base and tuned and log):
        return "_No benchmark results yet: run `make benchmark`._"
    test_examples = load_scored_examples(tuned)
    gpu = gpu_section(dev, tuned) if dev else []
    lines = [
        f"Held-out test split: {tuned['overall']['n_cases']} conversations "
        f"({tuned['overall']['n_tool_cases']} expect tool calls, {tuned['overall']['n_no_tool_cases']} expect a reply "
        f"without one). Base = SmolLM2-135M-Instruct as shipped; tuned = the same model with the LoRA adapter "
        f"from `make benchmark`. Greedy decoding, {tuned['settings']['max_new_tokens']} new tokens at most.",
        "",
        *headline_table(base, tuned),
        "",
        *category_table(base, tuned),
        "",
        *(["Targets missed:", "", *shortfalls(tuned), ""] if shortfalls(tuned) else []),
        *([generalisation_summary(valid, tuned), ""] if valid else []),
        *wording_summary(tuned, test_examples),
        "",
        *argument_summary(tuned, test_examples),
        "",
        training_summary(log),
        "",
        evaluation_summary({"tuned on the test split": tuned, **({"tuned on the validation split": valid} if valid else {}),
                            **({"tuned on the dev split": dev} if dev else {}), "base on the test split": base}),
        "",
        *([token_budget_summary(token_budget), ""] if token_budget else []),
        *([reproduction_summary(reproduction), ""] if reproduction else []),
        *experiments_section(log, tuned),
        "",
        *([*development_section(tuned, dev), ""] if dev else []),
        *([*wide_development_section(dev, dev_wide), ""] if dev and dev_wide else []),
        *([*recipe_runs_section(), ""] if dev else []),
        *([*gpu, ""] if gpu else []),
        *([run_scores_summary(runs_by_split), "", "![every scored run against the targets](results/run_scores.png)", ""]
          if runs_by_split else []),
    ]
    token_loss = {"committed adapter": _load("token_loss.json")}
    for path in sorted((RESULTS_DIR / "experiments").glob("*/token_loss.json")):
        token_loss[f"`{path.parent.name}` adapter"] = read_results(path)
    if token_loss["committed adapter"]:
        lines += [token_loss_summary(token_loss), ""]
    lines += [
        "![base vs tuned](results/metrics.png)",
        "",
        "![training loss](results/loss.png)",
    ]
    latency = _load("latency.json")
    if latency:
        lines += ["", *latency_table(latency), "", "![latency](results/latency.png)"]
    return "\n".join(lines)


def scored_runs_by_split() -> dict[str, list[ScoredRun]]:
    """``scored_runs`` of the dev, wide dev and test splits, leaving out a split the committed run was not scored on."""
    return {split: runs for split in ("dev", "dev_wide", "test") if (runs := scored_runs(split))}


def render_readme(readme: str, runs_by_split: dict[str, list[ScoredRun]]) -> str:
    head, rest = readme.split(START, 1)
    _, tail = rest.split(END, 1)
    return f"{head}{START}\n{results_section(runs_by_split)}\n{END}{tail}"


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--check", action="store_true", help="fail if README.md is out of date")
    args = parser.parse_args(argv)
    path = REPO_ROOT / "README.md"
    current = path.read_text()
    runs_by_split = scored_runs_by_split()
    updated = render_readme(current, runs_by_split)
    if args.check:
        if updated != current:
            sys.exit("README.md results section is stale: run python -m agentic_tuning.report")
        return
    path.write_text(updated)
    if runs_by_split:
        from .plots import plot_run_scores

        plot_run_scores(runs_by_split, TARGETS, RUN_SCORES_PLOT)
    print(f"README.md results section updated; {RUN_SCORES_PLOT.relative_to(REPO_ROOT)} drawn")


if __name__ == "__main__":
    main()
