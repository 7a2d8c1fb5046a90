# All set-up happens here: a fresh clone needs only `make demo` or `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
SYS    := $(VENV)/.sysdeps

.PHONY: demo test lint bench schema docs clean browser serve

# Debian packages the code runs with: CJK fonts, poppler, pango (WeasyPrint), LibreOffice.
$(SYS): scripts/sysdeps.sh
	bash scripts/sysdeps.sh
	mkdir -p $(VENV) && touch $(SYS)

$(STAMP): pyproject.toml $(SYS)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev,web]'
	touch $(STAMP)

# Debian's chromium for the web workbench's browser tests (Playwright drives it; it cannot
# download a browser here).
BROWSER := $(VENV)/.browser
$(BROWSER): scripts/sysdeps.sh
	bash scripts/sysdeps.sh chromium
	mkdir -p $(VENV) && touch $(BROWSER)

browser: $(BROWSER)

demo: $(STAMP)
	$(BIN)/juesuan demo

test: $(STAMP) $(BROWSER) lint
	$(BIN)/pytest -q

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/mypy

bench: $(STAMP)
	$(BIN)/python bench/check.py
	$(BIN)/python bench/import.py
	$(BIN)/python bench/build.py
	$(BIN)/python bench/mutate.py
	$(BIN)/python bench/web.py

serve: $(STAMP)
	$(BIN)/juesuan serve

# Regenerate the JSON Schema shipped in the package (a test fails when it is stale).
schema: $(STAMP)
	$(BIN)/python -c "import json; from juesuan.model.serialize import json_schema; print(json.dumps(json_schema(), ensure_ascii=False, indent=1))" > src/juesuan/model/data/report.schema.json

docs: $(STAMP)
	$(BIN)/python -c "from juesuan.rules.declarations import all_rules, rules_markdown; print(rules_markdown(all_rules()), end='')" > docs/rules.md

clean:
	rm -rf $(VENV) juesuan-demo .pytest_cache .mypy_cache .ruff_cache
