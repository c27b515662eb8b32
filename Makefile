# Engram — everything a developer runs. `make help` lists the targets.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
LINT_DIR := tools/cypher-lint
LINT_STAMP := $(LINT_DIR)/node_modules/.installed
COMPOSE ?= docker compose

export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1

.PHONY: help install run graph test lint fmt up down clean bench-append bench-context bench-crash bench-extraction bench-ingest bench-locomo bench-audit seed

help: ## List the targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z_-]+:.*## / {printf "  \033[36m%-10s\033[0m %s\n", $$1, $$2}' $(MAKEFILE_LIST)

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11+ is required")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	# The CPU build of torch first: a looser requirement would pull a multi-GB CUDA build.
	$(BIN)/python -m pip install --quiet "torch==2.13.0"
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $@

$(LINT_STAMP): $(LINT_DIR)/package.json $(LINT_DIR)/package-lock.json
	npm ci --prefix $(LINT_DIR) --no-audit --no-fund --loglevel=error
	touch $@

install: $(STAMP) $(LINT_STAMP) ## Create .venv and install everything (idempotent)

run: $(STAMP) ## Serve the API on ENGRAM_HOST:ENGRAM_PORT (starts the local graph server unless NEO4J_URI is set)
	$(BIN)/python -m app

graph: $(STAMP) ## Start only the local graph server (Bolt on ENGRAM_LOCAL_GRAPH_PORT, data in ENGRAM_DATA_DIR)
	$(BIN)/python -m app.localgraph

test: $(STAMP) ## Run the test suite against a real graph server
	$(BIN)/python -m pytest

lint: $(STAMP) $(LINT_STAMP) ## ruff, ruff format --check, mypy --strict on app/, Neo4j's linter on cypher/
	$(BIN)/ruff check app tests bench
	$(BIN)/ruff format --check app tests bench
	$(BIN)/mypy app
	node $(LINT_DIR)/lint.mjs cypher

fmt: $(STAMP) ## Format and auto-fix
	$(BIN)/ruff format app tests bench
	$(BIN)/ruff check --fix app tests bench

bench-append: $(STAMP) ## Append latency + ingest throughput against a running `make run` (ARGS=...)
	$(BIN)/python -m bench.append $(ARGS)

bench-context: $(STAMP) ## Context and search p50/p99 on 10k- and 1k-memory users against a running `make run` (ARGS=--small)
	$(BIN)/python -m bench.context $(ARGS)

bench-crash: $(STAMP) ## SIGKILL the whole service 5 times while appending; nothing may be lost (ARGS=...)
	$(BIN)/python -m bench.crash $(ARGS)

bench-extraction: $(STAMP) ## Extractor precision/recall/F1 on tests/data/extraction.jsonl (no server needed; ARGS=--show 20)
	$(BIN)/python -m bench.extraction $(ARGS)

bench-ingest: $(STAMP) ## Ingest msgs/s, job latency, LoCoMo evidence capture against a running `make run` (ARGS=...)
	$(BIN)/python -m bench.ingest $(ARGS)

bench-locomo: $(STAMP) ## LoCoMo recall@5/@10 and answer coverage of the context block vs BM25/dense/RRF baselines, against a running `make run` (ARGS=--reuse, --baselines-only, --dump FILE)
	$(BIN)/python -m bench.locomo $(ARGS)

bench-audit: $(STAMP) ## Blind audit of stored memories: draw a sample for labellers, score their labels (ARGS="draw --out FILE.jsonl", "draw --offline --out ...", "score FILE.jsonl")
	$(BIN)/python -m bench.audit $(ARGS)

seed: $(STAMP) ## Load demo users (Alice, Bob, one LoCoMo conversation) into a running `make run` (ARGS=...)
	$(BIN)/python -m app.seed $(ARGS)

up: ## docker compose: Neo4j 5.26 (Browser on :7474) and the API (:8000)
	$(COMPOSE) -f compose.yaml up -d --build

down: ## docker compose: stop and remove the containers (data volume kept)
	$(COMPOSE) -f compose.yaml down

clean: ## Remove the virtualenv, caches and local data
	rm -rf $(VENV) .data .pytest_cache .mypy_cache .ruff_cache $(LINT_DIR)/node_modules
