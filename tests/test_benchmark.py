import json

from agentic_tuning.benchmark import output_paths
from agentic_tuning.paths import REPO_ROOT, RESULTS_DIR


def test_the_cpu_profile_writes_the_committed_names():
    paths = output_paths("cpu")
    assert paths["prefix"] == RESULTS_DIR / "cpu"
    assert paths["loss_plot"] == RESULTS_DIR / "loss.png" and paths["metrics_plot"] == RESULTS_DIR / "metrics.png"


def test_a_profile_file_writes_under_its_own_name(tmp_path):
    spec = json.loads((REPO_ROOT / "configs" / "cpu.json").read_text())
    path = tmp_path / "profile.json"
    path.write_text(json.dumps({**spec, "name": "ablation"}))
    paths = output_paths(str(path))
    assert paths["prefix"] == RESULTS_DIR / "ablation" and paths["run_dir"] == REPO_ROOT / "runs" / "ablation"
    assert paths["loss_plot"] == RESULTS_DIR / "ablation_loss.png"
    assert paths["metrics_plot"] == RESULTS_DIR / "ablation_metrics.png"
