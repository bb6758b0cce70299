# The two commands of the README: `make chat` and `make test`. Everything else is a helper.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: chat test lint typecheck pytest notebooks sandbox bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

chat: $(STAMP)
	$(BIN)/billing-agent chat

test: $(STAMP) lint typecheck pytest

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks

typecheck: $(STAMP)
	$(BIN)/mypy src

pytest: $(STAMP)
	$(BIN)/pytest

notebooks: $(STAMP)
	$(BIN)/pytest tests/docs/test_notebooks.py -q

sandbox: $(STAMP)
	$(BIN)/billing-agent sandbox serve --seed demo

bench: $(STAMP)
	for b in benchmarks/*.py; do $(BIN)/python $$b || exit 1; done

# Re-record the Mistral cassettes against the real API (needs a key; the test suite itself never does).
record-cassettes: $(STAMP)
	@test -n "$$MISTRAL_API_KEY" || { echo "set MISTRAL_API_KEY to re-record tests/cassettes/"; exit 1; }
	BILLING_AGENT_RECORD_MISTRAL_KEY="$$MISTRAL_API_KEY" $(BIN)/pytest tests/graph/test_mistral_wire.py --record-mode=rewrite

# Rebuild the synthesized cassettes (no key, no network: answers come from a local fake Mistral endpoint).
synthesize-cassettes: $(STAMP)
	BILLING_AGENT_SYNTHESIZE_CASSETTES=1 $(BIN)/pytest tests/graph/test_mistral_wire.py --record-mode=all

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
