PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1

.PHONY: demo test lint install clean bench bytecode

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

# An editable install leaves the project's own modules uncompiled, and where PYTHONDONTWRITEBYTECODE is set
# (this machine, many containers) every command compiles them again: ~35 ms of each `newsdesk ask`.
# Stale or missing files only are compiled, so this is instant after the first time.
bytecode: $(STAMP)
	$(BIN)/python -m compileall -q index bot newsdesk sources

install: $(STAMP) bytecode

demo: $(STAMP) bytecode
	$(BIN)/newsdesk ingest corpus
	$(BIN)/newsdesk ask "which ships left Tartus?"

bench: $(STAMP)
	$(BIN)/python scripts/bench_engine.py

# ruff and mypy as configured in pyproject.toml (index/, bot/, sources/, newsdesk/), before the tests.
lint: $(STAMP)
	$(BIN)/ruff check index bot sources newsdesk
	$(BIN)/mypy

# pytest exits 5 when it collects no tests: that is a failure here, like any other non-zero code.
test: lint
	$(BIN)/python -m pytest -q -p no:cacheprovider

clean:
	rm -rf $(VENV) .newsdesk
