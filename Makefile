# 職能基準知識圖譜 — one task runner. `make help` lists the targets.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
WEB := web/node_modules/.package-lock.json

.DEFAULT_GOAL := help
.PHONY: help install run build test lint format typecheck clean bench

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F ':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	@if ! $(PYTHON) -c 'import ensurepip, venv' 2>/dev/null; then \
	  echo "installing python3-venv (Debian)"; apt-get update -qq && apt-get install -y -qq python3-venv; fi
	@command -v curl >/dev/null || { echo "installing curl (Debian), used by the client tests"; \
	  apt-get update -qq && apt-get install -y -qq curl; }
	@command -v virtuoso-t >/dev/null || { echo "installing Virtuoso (Debian), used by the remote-store tests"; \
	  apt-get update -qq && RUNLEVEL=1 DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	  -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold virtuoso-opensource; \
	  { command -v service >/dev/null && service virtuoso-opensource-7 stop; } >/dev/null 2>&1 || true; }
	@[ -x /usr/bin/chromium ] || { echo "installing chromium and a CJK font (Debian), used by the browser tests"; \
	  apt-get update -qq && apt-get install -y -qq chromium fonts-wqy-microhei; }
	@[ -x $(BIN)/python ] || { rm -rf $(VENV); $(PYTHON) -m venv $(VENV); }
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	@touch $@

$(WEB): web/package-lock.json
	@command -v npm >/dev/null || { echo "installing nodejs and npm (Debian), for the SPARQL editor"; \
	  apt-get update -qq && apt-get install -y -qq nodejs npm; }
	cd web && npm ci --no-audit --no-fund --ignore-scripts

install: $(STAMP) $(WEB) ## create .venv with the `kg` command and every dependency, and web/node_modules

build: install ## parse, map and load the shipped data/ into the embedded store
	$(BIN)/kg build

run: install ## set up and serve the shipped data on http://127.0.0.1:8000/sparql
	$(BIN)/kg serve

lint: install ## ruff lint and format check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: install ## mypy --strict over kg/
	$(BIN)/mypy

test: lint typecheck ## set up and run every check and test
	$(BIN)/pytest

bench: install ## benchmark build, memory and queries at 1,000 synthetic standards (minutes; not part of test)
	$(BIN)/python bench/run.py $(BENCH_ARGS)

.PHONY: loadtest
loadtest: install ## load test: 16 clients, 60 s, shipped data and 1,000 synthetic standards (minutes; not in test)
	$(BIN)/python bench/load.py $(LOAD_ARGS)

format: install ## apply ruff formatting and safe fixes
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean: ## remove the virtual environment, the store and caches
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache web/node_modules
