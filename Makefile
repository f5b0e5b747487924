# `make site` and `make test` do all set-up on a fresh machine (Python 3.11+ with venv).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
export NO_MKDOCS_2_WARNING := 1

.PHONY: site test test-fast check lint bench serve clean lock

# BUILD_FLAGS=--production for publishing: missing operator settings then stop the build.
BUILD_FLAGS ?=
site: $(VENV)/.runtime
	$(PY) -m generator build $(BUILD_FLAGS)

check: $(VENV)/.runtime
	$(PY) -m generator check

# Everything, the browser and slow tests included (a few minutes); .ci/run calls this.
test: $(VENV)/.dev
	$(PY) -m ruff check generator tests scripts
	$(PY) -m mypy
	$(PY) -m pytest

# The inner loop, under a minute: the same lint and type checks, then the tests marked neither browser nor slow
# (markers in pyproject.toml). Run `make test` before pushing.
test-fast: $(VENV)/.dev
	$(PY) -m ruff check generator tests scripts
	$(PY) -m mypy
	$(PY) -m pytest -m "not browser and not slow"

serve: $(VENV)/.runtime
	$(PY) -m generator serve

# Builds the demo corpus at 1,000, 5,000 and 10,000 records and prints the figures (about an hour with the
# Karlsruhe-sized body, the OParl crawl and the text extraction). Needs Debian's Chromium for the search figures,
# like `make test`. Other sizes: make bench SIZES=2000,4000; the growth rows (clean builds only):
# make bench SIZES=20000,40000 BENCH_FLAGS=--growth
SIZES ?= 1000,5000,10000
BENCH_FLAGS ?=
bench: $(VENV)/.dev
	$(PY) scripts/bench.py --sizes $(SIZES) $(BENCH_FLAGS)

lint: $(VENV)/.dev
	$(PY) -m ruff check generator tests scripts
	$(PY) -m ruff format --check generator tests scripts
	$(PY) -m mypy

# Every install is hash-checked against the lock files (docs/supply-chain.md): pip itself, then the locked set.
PIP_INSTALL = -m pip install --quiet --disable-pip-version-check --require-hashes

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(PY) $(PIP_INSTALL) -r requirements-pip.txt

# The generator itself is installed editable (no download: setuptools is locked with pip), so that the
# `transparenz` command works in any site folder.
INSTALL_SELF = $(PY) -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .

# Pagefind's newest release is on npm only: its static binary, checked against the pinned sha512, goes into
# .venv/bin (no Node.js needed; docs/supply-chain.md).
PAGEFIND_NPM = $(PY) scripts/pagefind_npm.py $(VENV)/bin

$(VENV)/.runtime: requirements-pip.txt requirements.txt pyproject.toml scripts/pagefind_npm.py | $(VENV)/bin/python
	$(PY) $(PIP_INSTALL) -r requirements-pip.txt
	$(PY) $(PIP_INSTALL) -r requirements.txt
	$(INSTALL_SELF)
	$(PAGEFIND_NPM)
	touch $@

$(VENV)/.dev: requirements-pip.txt requirements.txt requirements-dev.txt pyproject.toml scripts/pagefind_npm.py | $(VENV)/bin/python
	$(PY) $(PIP_INSTALL) -r requirements-pip.txt
	$(PY) $(PIP_INSTALL) -r requirements-dev.txt
	$(INSTALL_SELF)
	$(PAGEFIND_NPM)
	touch $(VENV)/.runtime $@

# Regenerates the lock files from pyproject.toml with hashes; keeps the locked versions unless told to move them:
#   make lock UPGRADE="--upgrade-package mkdocs-material"    (one package)    make lock UPGRADE=--upgrade    (all)
# pip, setuptools (which installs the generator itself) and the lock tool (uv) are locked too: change PIP_VERSION,
# SETUPTOOLS_VERSION or UV_VERSION here, then make lock.
# --python-version 3.11.5: the oldest Python the locked set supports (pymdown-extensions needs 3.11.5).
PIP_VERSION := 26.3
SETUPTOOLS_VERSION := 84.2.1
UV_VERSION := 0.13.9
LOCK_VENV := $(VENV)/lock-tool
UPGRADE ?=
LOCK = $(LOCK_VENV)/bin/uv pip compile --quiet --universal --python-version 3.11.5 --generate-hashes \
	--custom-compile-command "make lock" $(UPGRADE)
lock: $(LOCK_VENV)/bin/uv
	$(LOCK) pyproject.toml -o requirements.txt
	$(LOCK) pyproject.toml --extra dev -c requirements.txt -o requirements-dev.txt
	printf "pip==$(PIP_VERSION)\nsetuptools==$(SETUPTOOLS_VERSION)\n" | $(LOCK) - -o requirements-pip.txt
	echo "uv==$(UV_VERSION)" | $(LOCK) - -o requirements-lock.txt

$(LOCK_VENV)/bin/uv: requirements-lock.txt
	$(PYTHON) -m venv $(LOCK_VENV)
	$(LOCK_VENV)/bin/python $(PIP_INSTALL) -r requirements-pip.txt
	$(LOCK_VENV)/bin/python $(PIP_INSTALL) -r requirements-lock.txt

clean:
	rm -rf build site .pytest_cache .mypy_cache .ruff_cache
