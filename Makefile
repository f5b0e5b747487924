# `make site` and `make test` do all set-up on a fresh machine (Python 3.11+ with venv).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
export NO_MKDOCS_2_WARNING := 1

.PHONY: site test check lint bench serve clean

# BUILD_FLAGS=--production for publishing: missing operator settings then stop the build.
BUILD_FLAGS ?=
site: $(VENV)/.runtime
	$(PY) -m generator build $(BUILD_FLAGS)

check: $(VENV)/.runtime
	$(PY) -m generator check

test: $(VENV)/.dev
	$(PY) -m ruff check generator tests scripts
	$(PY) -m mypy
	$(PY) -m pytest

serve: $(VENV)/.runtime
	$(PY) -m generator serve

# Builds the demo corpus at 1,000, 5,000 and 10,000 records and prints the figures (a few minutes).
# Needs Debian's Chromium for the search figures, like `make test`. Other sizes: make bench SIZES=2000,4000
SIZES ?= 1000,5000,10000
bench: $(VENV)/.dev
	$(PY) scripts/bench.py --sizes $(SIZES)

lint: $(VENV)/.dev
	$(PY) -m ruff check generator tests scripts
	$(PY) -m ruff format --check generator tests
	$(PY) -m mypy

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip==26.3

$(VENV)/.runtime: requirements.txt | $(VENV)/bin/python
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt | $(VENV)/bin/python
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $(VENV)/.runtime $@

clean:
	rm -rf build site .pytest_cache .mypy_cache .ruff_cache
