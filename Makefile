# All set-up happens here: a fresh clone needs only `make demo` or `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test lint bench schema clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/juesuan demo

test: $(STAMP) lint
	$(BIN)/pytest -q

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/mypy

bench: $(STAMP)
	$(BIN)/python bench/check.py

# Regenerate the JSON Schema shipped in the package (a test fails when it is stale).
schema: $(STAMP)
	$(BIN)/python -m juesuan.model.serialize > src/juesuan/model/data/report.schema.json

clean:
	rm -rf $(VENV) juesuan-demo .pytest_cache .mypy_cache .ruff_cache
