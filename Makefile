# Quick start: `make run` executes every notebook into results/; `make test` runs the test suite.
# Both create the isolated environment .venv/ first if it is missing.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
INSTALLED := $(VENV)/.installed
OUTPUT_DIR ?= results
# Extra notebook parameters, e.g. PARAMS="-p data_path data/wdbc.csv -p epochs 50"
PARAMS ?=

export TF_CPP_MIN_LOG_LEVEL ?= 2
export PIP_DISABLE_PIP_VERSION_CHECK = 1

COLAB_VENV := .venv-colab

.PHONY: run test lint speed test-colab benchmark full-benchmark sync lab clean help

help:
	@echo "make run    execute all notebooks into $(OUTPUT_DIR)/ (OUTPUT_DIR=..., PARAMS=\"-p name value ...\")"
	@echo "make test   check the code with the linter (ruff), then run the test suite"
	@echo "make lint   check the code with the linter (ruff) only"
	@echo "make speed  time the notebooks (defaults and class settings), the tests and the command line, in seconds and units (writes $(OUTPUT_DIR)/speed.json)"
	@echo "make test-colab  run the test suite on Colab's older versions (requirements-colab.txt), in $(COLAB_VENV)/"
	@echo "make benchmark  time GAN training, paper style vs compiled, and the better GAN (writes $(OUTPUT_DIR)/benchmark.json)"
	@echo "make full-benchmark  every method on every KEEL table (hours; resumable: run it again after a stop) into $(OUTPUT_DIR)/benchmark-full/ and benchmark-generators/"
	@echo "make sync   regenerate each notebook's .ipynb from its jupytext .py (after editing a .py)"
	@echo "make lab    open JupyterLab on the notebooks"
	@echo "make clean  remove $(OUTPUT_DIR)/ and build artefacts (keeps .venv/)"

$(INSTALLED): requirements.txt pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed; found " + sys.version.split()[0] + ". Install it, or run: make PYTHON=python3.12 ...")'
	@echo "Setting up $(VENV)/ with the pinned packages of requirements.txt (a few minutes, once)..."
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	$(PY) -m pip install --quiet --no-deps --editable .
	@touch $(INSTALLED)

run: $(INSTALLED)
	$(PY) scripts/run_notebooks.py --output-dir "$(OUTPUT_DIR)" $(PARAMS)

test: $(INSTALLED)
	$(VENV)/bin/ruff check .
	$(PY) -m pytest

lint: $(INSTALLED)
	$(VENV)/bin/ruff check .

speed: $(INSTALLED)
	$(PY) scripts/speed_report.py --json "$(OUTPUT_DIR)/speed.json"

benchmark: $(INSTALLED)
	$(PY) scripts/benchmark_gan.py --json "$(OUTPUT_DIR)/benchmark.json"

full-benchmark: $(INSTALLED)
	$(PY) -m utils benchmark --preset full --output-dir "$(OUTPUT_DIR)/benchmark-full"
	$(PY) -m utils benchmark --preset generators --output-dir "$(OUTPUT_DIR)/benchmark-generators"

$(COLAB_VENV)/.installed: requirements-colab.txt pyproject.toml
	@test -x $(COLAB_VENV)/bin/python || $(PYTHON) -m venv $(COLAB_VENV)
	$(COLAB_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(COLAB_VENV)/bin/python -m pip install --quiet -r requirements-colab.txt
	$(COLAB_VENV)/bin/python -m pip install --quiet --no-deps --editable .
	@touch $@

test-colab: $(COLAB_VENV)/.installed
	$(COLAB_VENV)/bin/python -m pytest

sync: $(INSTALLED)
	$(VENV)/bin/jupytext --to ipynb --update notebooks/*.py

lab: $(INSTALLED)
	$(VENV)/bin/jupyter lab notebooks/

clean:
	rm -rf "$(OUTPUT_DIR)" build .pytest_cache
