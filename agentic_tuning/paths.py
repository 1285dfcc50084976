"""Where the repository keeps its data, results and caches."""

from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = REPO_ROOT / "data"
RESULTS_DIR = REPO_ROOT / "results"
TOOLS_PATH = DATA_DIR / "tools.json"
CACHE_DIR = REPO_ROOT / ".cache"
