"""Run the course notebooks top to bottom: the course's main job, and the tool that refreshes them.

    python scripts/run_notebooks.py [--profile cpu] [--out build/course] [--only 02 03] [--timeout 3600]
    python scripts/run_notebooks.py --refresh [--only NAMES] [--notebooks solutions]

The first form executes notebooks/*.ipynb in order with the current Python as the kernel, under
AGENTIC_TUNING_PROFILE=<profile> and AGENTIC_TUNING_UNATTENDED=1, and writes the executed copies,
one HTML page per notebook and an index.html (status and run time of each) to the out folder, then
prints the headline metrics of results/cpu_base.json -> results/cpu_tuned.json.

--refresh executes under the smoke profile and writes each notebook back in place, clean: no
outputs except in cells whose first line is `# NBVAL_CHECK_OUTPUT`. Execution counts are removed
except on those cells, which keep their position among the code cells (the count of a top-to-bottom
run): nbval refuses to compare a cell whose stored outputs have no execution count.
"""

from __future__ import annotations

import argparse
import copy
import html
import json
import os
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbconvert import HTMLExporter
from nbclient.exceptions import CellExecutionError, CellTimeoutError
from tqdm.auto import tqdm

REPO_ROOT = Path(__file__).resolve().parent.parent
MARKER = "# NBVAL_CHECK_OUTPUT"
HEADLINE = {"json_validity": "JSON validity", "tool_selection_accuracy": "tool selection",
            "argument_exact_match": "argument exact match", "no_tool_accuracy": "no-tool accuracy"}


def is_checked(cell) -> bool:
    """A code cell whose first line is the nbval marker keeps its outputs."""
    return cell.cell_type == "code" and cell.source.split("\n", 1)[0].strip() == MARKER


def clean_notebook(nb):
    """A copy of `nb` with outputs only on marked cells, and execution counts only there."""
    nb = copy.deepcopy(nb)
    position = 0
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
        if cell.cell_type != "code":
            continue
        position += 1
        if is_checked(cell):
            cell.execution_count = position
            for output in cell.outputs:
                if "execution_count" in output:
                    output.execution_count = position
        else:
            cell.outputs, cell.execution_count = [], None
    return nb


def select_notebooks(folder: Path, only: list[str] | None) -> list[Path]:
    """The notebooks of `folder` in order; with `only`, those whose name or number prefix is listed."""
    paths = sorted(Path(folder).glob("*.ipynb"))
    if not only:
        return paths
    chosen = [p for p in paths if any(p.name == n or p.stem == n or p.stem.startswith(n) for n in only)]
    missing = [n for n in only if not any(p.name == n or p.stem == n or p.stem.startswith(n) for p in paths)]
    if missing:
        raise SystemExit(f"no notebook in {folder} matches {missing}")
    return chosen


def execute(nb, cwd: Path, timeout_s: float) -> tuple[object, str]:
    """Run every cell in a fresh kernel of this Python; return the notebook and 'ok' or what failed."""
    client = NotebookClient(nb, kernel_name="python3", resources={"metadata": {"path": str(cwd)}},
                            record_timing=False)
    deadline, index = time.monotonic() + timeout_s, -1
    try:
        with client.setup_kernel():
            for index, cell in enumerate(nb.cells):
                client.timeout = max(1, int(deadline - time.monotonic()))
                client.execute_cell(cell, index, execution_count=client.code_cells_executed + 1)
            client.set_widgets_metadata()
    except CellTimeoutError:
        return nb, f"failed: cell {index} ran past the notebook's {timeout_s:.0f} s budget"
    except CellExecutionError as exc:
        return nb, f"failed: cell {index} raised {exc.ename}: {exc.evalue}"[:300]
    except Exception as exc:  # noqa: BLE001 - a dead kernel and the like: report it and go on
        return nb, f"failed: {type(exc).__name__}: {exc}"[:300]
    return nb, "ok"


def headline_metrics(results_dir: Path = REPO_ROOT / "results") -> list[tuple[str, float | None, float | None]]:
    """(label, base, tuned) for the headline metrics; empty when the benchmark results are missing."""
    paths = [results_dir / "cpu_base.json", results_dir / "cpu_tuned.json"]
    if not all(p.exists() for p in paths):
        return []
    base, tuned = (json.loads(p.read_text())["overall"] for p in paths)
    return [(label, base.get(key), tuned.get(key)) for key, label in HEADLINE.items()]


def _pct(value) -> str:
    return "–" if value is None else f"{100 * value:.1f}%"


def write_index(out: Path, runs: list[dict], profile: str, metrics) -> None:
    rows = "\n".join(
        f"<tr><td><a href='{r['name']}.html'>{html.escape(r['name'])}</a> (<a href='{r['name']}.ipynb'>ipynb</a>)"
        f"</td><td>{html.escape(r['status'])}</td><td>{r['seconds']:.0f} s</td></tr>" for r in runs)
    metric_rows = "\n".join(f"<tr><td>{label}</td><td>{_pct(b)}</td><td>{_pct(t)}</td></tr>"
                            for label, b, t in metrics)
    metric_table = (f"<h2>Benchmark (results/cpu_base.json → cpu_tuned.json)</h2><table><tr><th>metric</th>"
                    f"<th>base</th><th>tuned</th></tr>{metric_rows}</table>") if metrics else ""
    (out / "index.html").write_text(
        "<!doctype html><meta charset='utf-8'><title>agentic-tuning course run</title>"
        "<style>body{font-family:sans-serif;margin:2em}td,th{padding:4px 12px;text-align:left}</style>"
        f"<h1>Course run, profile <code>{profile}</code></h1><table><tr><th>notebook</th><th>status</th>"
        f"<th>run time</th></tr>{rows}</table>{metric_table}\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--profile", choices=("smoke", "cpu", "gpu"), default="cpu", help="default: %(default)s")
    parser.add_argument("--out", type=Path, default=REPO_ROOT / "build" / "course", help="default: %(default)s")
    parser.add_argument("--only", nargs="+", metavar="NAME", help="notebook names or number prefixes, e.g. 02 03")
    parser.add_argument("--notebooks", type=Path, default=REPO_ROOT / "notebooks", help="default: %(default)s")
    parser.add_argument("--timeout", type=float, default=3600, help="seconds per notebook (default: %(default)s)")
    parser.add_argument("--refresh", action="store_true",
                        help="run under the smoke profile and save each notebook in place, clean but for marked cells")
    args = parser.parse_args(argv)

    from agentic_tuning.course import PROFILE_ENV, UNATTENDED_ENV

    profile = "smoke" if args.refresh else args.profile
    os.environ[PROFILE_ENV], os.environ[UNATTENDED_ENV] = profile, "1"
    paths = select_notebooks(args.notebooks, args.only)
    if not args.refresh:
        args.out.mkdir(parents=True, exist_ok=True)
    runs = []
    bar = tqdm(paths, desc=f"notebooks ({profile})", unit="nb")
    for path in bar:
        bar.set_postfix_str(path.name)
        original = nbformat.read(path, as_version=4)
        started = time.perf_counter()
        executed, status = execute(copy.deepcopy(original), path.parent, args.timeout)
        runs.append({"name": path.stem, "status": status, "seconds": time.perf_counter() - started})
        if args.refresh:
            if status == "ok":
                cleaned = clean_notebook(executed)
                cleaned.metadata = original.metadata
                nbformat.write(cleaned, path)
        else:
            nbformat.write(executed, args.out / path.name)
            page, _ = HTMLExporter().from_notebook_node(executed)
            (args.out / f"{path.stem}.html").write_text(page, encoding="utf-8")
        tqdm.write(f"{path.name}: {status} in {runs[-1]['seconds']:.0f} s")
    metrics = headline_metrics()
    if not args.refresh:
        write_index(args.out, runs, profile, metrics)
        print(f"executed notebooks and HTML report in {args.out} (open {args.out / 'index.html'})")
    else:
        print("refreshed " + ", ".join(r["name"] for r in runs if r["status"] == "ok"))
    if metrics:
        print("headline metrics, base -> tuned (results/cpu_base.json, results/cpu_tuned.json):")
        for label, base, tuned in metrics:
            print(f"  {label:<22} {_pct(base):>7} -> {_pct(tuned)}")
    else:
        print("no headline metrics: results/cpu_base.json and results/cpu_tuned.json appear after `make benchmark`")
    failed = [r["name"] for r in runs if r["status"] != "ok"]
    if failed:
        print("failed: " + ", ".join(failed), file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
