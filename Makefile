# Set-up and everyday commands. `make run` and `make test` work on a fresh machine with Python 3.11.
PYTHON ?= python3.11
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8501
PYTEST_ARGS ?=
export HF_HUB_OFFLINE := 1

.PHONY: run test test-fast lint ingest eval eval-golden eval-routing screenshot clean help

help:
	@echo "make run    - install if needed, ingest corpus/ if stale, serve the chat page on $(HOST):$(PORT)"
	@echo "make test   - install with test extras and run the whole suite"

$(BIN)/python:
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "error: $(PYTHON) not found; install Python 3.11 or run 'make PYTHON=python3 ...'"; exit 2; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

# torch first: the pinned CPU wheel; an unpinned torch would pull a multi-GB CUDA build.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q torch==2.13.0
	$(BIN)/pip install -q -e '.[test]'
	touch $@

install: $(VENV)/.installed

ingest: $(VENV)/.installed
	$(BIN)/python -m ingest --if-stale; status=$$?; [ $$status -le 1 ] || exit $$status

run: ingest
	$(BIN)/streamlit run app.py --server.address $(HOST) --server.port $(PORT) \
		--server.headless true --browser.gatherUsageStats false

test: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/python -m pytest $(PYTEST_ARGS)

test-fast: $(VENV)/.installed
	$(BIN)/python -m pytest -m "not slow and not browser" $(PYTEST_ARGS)

lint: $(VENV)/.installed
	$(BIN)/ruff check .

eval: $(VENV)/.installed
	$(BIN)/practice-assistant eval --dataset ../shared/data/counselchat --split dev \
		--retriever dense bm25 rrf hybrid --report docs/eval-report

eval-golden: $(VENV)/.installed
	$(BIN)/practice-assistant eval --golden eval/golden.jsonl --answers

eval-routing: $(VENV)/.installed
	$(BIN)/practice-assistant eval-routing --dataset ../shared/data/crisis/routing_dev.jsonl

clean:
	rm -rf var .pytest_cache .ruff_cache
