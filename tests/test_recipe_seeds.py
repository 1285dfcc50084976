import json

import pytest

from agentic_tuning import recipe_seeds
from agentic_tuning.training.profiles import profile_path

RECIPE = json.loads(profile_path("cpu").read_text())
AMX = {"model": "Intel Xeon", "vector_extensions": ["amx_bf16", "avx512_bf16"]}
EPYC = {"model": "AMD EPYC", "vector_extensions": ["avx512_bf16"]}


def _write(path, value):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(value))


def _log(cpu, profile, train_sha="abc", minutes=20.0):
    return {"cpu": cpu, "profile": profile, "wall_time_s": minutes * 60, "data": {"sha256": train_sha}}


def _scores(correct):
    return {"overall": {"failure_classes": {"correct": correct}}}


@pytest.fixture
def results_dir(tmp_path):
    _write(tmp_path / "cpu_train_log.json", _log(AMX, RECIPE, minutes=19.0))
    for split, correct in (("cpu_tuned_dev.json", 210), ("cpu_tuned_dev_wide.json", 186), ("cpu_tuned.json", 202)):
        _write(tmp_path / split, _scores(correct))
    for name, seed, cpu, dev in (("seed_1_amx", 1, AMX, 200), ("seed_1_epyc", 1, EPYC, 190), ("seed_0_epyc", 0, EPYC, 195)):
        folder = tmp_path / "experiments" / name
        _write(folder / "profile.json", {**RECIPE, "name": name, "description": "another draw", "seed": seed})
        _write(folder / "cpu_train_log.json", _log(cpu, RECIPE))
        _write(folder / "cpu_tuned_dev.json", _scores(dev))
    _write(tmp_path / "experiments" / "seed_0_epyc" / "cpu_tuned_dev_wide.json", _scores(170))
    return tmp_path


def test_recipe_runs_keep_each_runs_seed_cpu_and_the_splits_it_was_scored_on(results_dir):
    runs = recipe_seeds.recipe_runs(results_dir, experiments=("seed_1_amx", "seed_0_epyc"))
    assert [(run.name, run.seed, run.cpu) for run in runs] == [
        ("committed", 0, "Intel Xeon with AMX"), ("`seed_1_amx`", 1, "Intel Xeon with AMX"), ("`seed_0_epyc`", 0, "AMD EPYC")]
    assert runs[0].fully_correct == {"dev": 210, "dev_wide": 186, "test": 202}
    assert runs[2].fully_correct == {"dev": 195, "dev_wide": 170}
    assert runs[0].training_minutes == pytest.approx(19.0)


def test_an_experiment_with_other_settings_or_another_train_split_is_refused(results_dir):
    folder = results_dir / "experiments" / "seed_1_amx"
    _write(folder / "profile.json", {**RECIPE, "learning_rate": RECIPE["learning_rate"] / 2})
    with pytest.raises(ValueError, match="seed_1_amx"):
        recipe_seeds.recipe_runs(results_dir, experiments=("seed_1_amx",))
    _write(folder / "profile.json", {**RECIPE, "seed": 1})
    _write(folder / "cpu_train_log.json", _log(AMX, RECIPE, train_sha="other"))
    with pytest.raises(ValueError, match="seed_1_amx"):
        recipe_seeds.recipe_runs(results_dir, experiments=("seed_1_amx",))


def test_cpu_name_drops_trademark_signs_and_names_amx():
    xeon = {"cpu": {"model": "Intel(R) Xeon(R) Processor", "vector_extensions": ["amx_bf16", "avx512f"]}}
    assert recipe_seeds.cpu_name(xeon) == "Intel Xeon with AMX"
    assert recipe_seeds.cpu_name({"cpu": EPYC}) == "AMD EPYC"


def test_same_recipe_fills_left_out_fields_with_their_defaults():
    assert RECIPE["gradient_checkpointing"] is False  # the field's default
    without_the_default = {key: value for key, value in RECIPE.items() if key != "gradient_checkpointing"}
    assert recipe_seeds.same_recipe({**RECIPE, "seed": 5, "name": "x", "description": "y"}, RECIPE)
    assert recipe_seeds.same_recipe(without_the_default, RECIPE)
    assert not recipe_seeds.same_recipe({**RECIPE, "gradient_checkpointing": True}, RECIPE)
    assert not recipe_seeds.same_recipe({**RECIPE, "weight_decay": 0.1}, RECIPE)


def test_means_by_cpu_average_each_split_over_the_runs_scored_on_it(results_dir):
    runs = recipe_seeds.recipe_runs(results_dir, experiments=("seed_1_amx", "seed_1_epyc", "seed_0_epyc"))
    means = recipe_seeds.means_by_cpu(runs)
    assert means["Intel Xeon with AMX"] == {"dev": (205, 2), "dev_wide": (186, 1), "test": (202, 1)}
    assert means["AMD EPYC"] == {"dev": (192.5, 2), "dev_wide": (170, 1)}
    assert recipe_seeds.means_summary(runs) == (
        "Mean fully correct cases of the recipe's runs per CPU: on the Intel Xeon with AMX, 205.0 on dev (2 runs), "
        "186.0 on wide dev (1 run), 202.0 on test (1 run); on the AMD EPYC, 192.5 on dev (2 runs), "
        "170.0 on wide dev (1 run).")


def test_recipe_rows_mark_a_split_a_run_was_not_scored_on(results_dir):
    lines = recipe_seeds.recipe_rows(recipe_seeds.recipe_runs(results_dir, experiments=("seed_1_epyc",)))
    assert lines[-1] == "| `seed_1_epyc` | 1 | AMD EPYC | 20.0 min | 190 | – | – |"
    assert lines[0].count("|") == lines[1].count("|") == lines[-1].count("|")


def test_the_listed_experiments_ran_the_committed_recipe():
    runs = recipe_seeds.recipe_runs()
    assert [run.name for run in runs[1:]] == [f"`{name}`" for name in recipe_seeds.RECIPE_EXPERIMENTS]
