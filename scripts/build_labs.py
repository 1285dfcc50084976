"""Generate labs/ from solutions/ so the exercises never drift from their answers.

In each code cell, a region from a `# BEGIN SOLUTION` line to its `# END SOLUTION` line becomes a
`# YOUR CODE HERE` stub at the BEGIN line's indentation; cells tagged `solution-only` are dropped and
outputs are cleared. Run `python scripts/build_labs.py` to write the labs, `--check` to verify them.
"""

from __future__ import annotations

import argparse
import copy
import sys
from pathlib import Path

import nbformat

REPO_ROOT = Path(__file__).resolve().parent.parent
BEGIN, END = "# BEGIN SOLUTION", "# END SOLUTION"
STUB = ["# YOUR CODE HERE", 'raise NotImplementedError("exercise")']
NOTE = "This lab is generated from solutions/{name} by scripts/build_labs.py; edit the solution, not this file."


def strip_solutions(source: str, where: str) -> str:
    """Replace each outermost BEGIN/END SOLUTION region by an indented stub; `where` names the cell in errors."""
    kept, depth = [], 0
    for number, line in enumerate(source.split("\n"), start=1):
        marker = line.strip()
        if marker == BEGIN:
            if depth == 0:
                indent = line[: len(line) - len(line.lstrip())]
                kept.extend(indent + stub for stub in STUB)
            depth += 1
        elif marker == END:
            if depth == 0:
                raise ValueError(f"{where}: line {number} has {END} without a {BEGIN}")
            depth -= 1
        elif depth == 0:
            kept.append(line)
    if depth:
        raise ValueError(f"{where}: {BEGIN} without a matching {END}")
    return "\n".join(kept)


def build_lab(nb, name: str):
    """The lab version of solution notebook `nb` (named `name`); `nb` itself is left untouched."""
    lab = copy.deepcopy(nb)
    lab.cells = []
    for index, cell in enumerate(nb.cells):
        if "solution-only" in cell.get("metadata", {}).get("tags", []):
            continue
        cell = copy.deepcopy(cell)
        if cell.cell_type == "code":
            cell.source = strip_solutions(cell.source, f"{name} cell {index} (id {cell.get('id', '-')})")
            cell.outputs = []
            cell.execution_count = None
        lab.cells.append(cell)
    note = nbformat.v4.new_markdown_cell(NOTE.format(name=name), id="generated-lab-note")
    if nb.nbformat_minor < 5:  # cell ids arrived in nbformat 4.5
        del note["id"]
    lab.cells.insert(0, note)
    return lab


def lab_text(solution: Path) -> str:
    """The exact text of the lab for one solution file, as `nbformat.write` would save it."""
    lab = build_lab(nbformat.read(solution, as_version=4), solution.name)
    return nbformat.writes(lab) + "\n"


def build_all(src: Path, dst: Path) -> list[Path]:
    """Write a lab in `dst` for every notebook in `src`, delete labs without a solution; return the labs."""
    dst.mkdir(parents=True, exist_ok=True)
    solutions = sorted(Path(src).glob("*.ipynb"))
    for extra in sorted({p.name for p in dst.glob("*.ipynb")} - {p.name for p in solutions}):
        (dst / extra).unlink()
    written = []
    for solution in solutions:
        lab = dst / solution.name
        lab.write_text(lab_text(solution), encoding="utf-8", newline="\n")
        written.append(lab)
    return written


def stale_labs(src: Path, dst: Path) -> list[str]:
    """Problems that `build_all(src, dst)` would fix: 'missing: <lab>', 'stale: <lab>' or 'extra: <lab>'."""
    src, dst = Path(src), Path(dst)
    names = {p.name for p in src.glob("*.ipynb")} | {p.name for p in dst.glob("*.ipynb")}
    problems = []
    for name in sorted(names):
        solution, lab = src / name, dst / name
        if not solution.exists():
            problems.append(f"extra: {lab}")
        elif not lab.exists():
            problems.append(f"missing: {lab}")
        elif lab.read_bytes() != lab_text(solution).encode("utf-8"):
            problems.append(f"stale: {lab}")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="list out-of-date labs and exit 1 instead of writing")
    parser.add_argument("--solutions", type=Path, default=REPO_ROOT / "solutions", help="default: %(default)s")
    parser.add_argument("--labs", type=Path, default=REPO_ROOT / "labs", help="default: %(default)s")
    args = parser.parse_args(argv)
    src, dst = args.solutions, args.labs
    if args.check:
        problems = stale_labs(src, dst)
        print("\n".join(problems) if problems else "labs are up to date")
        if problems:
            print("run: python scripts/build_labs.py", file=sys.stderr)
        return 1 if problems else 0
    for lab in build_all(src, dst):
        print(f"wrote {lab}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
