# All set-up happens here: a fresh clone needs only `make demo` or `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
SYS    := $(VENV)/.sysdeps
OCR    := $(VENV)/.ocr
OPENCV := opencv-contrib-python-headless==5.0.0.93

.PHONY: demo test lint bench fuzz schema docs clean ocr browser serve

# Debian packages the code runs with: CJK fonts, poppler, pango (WeasyPrint), LibreOffice.
$(SYS): scripts/sysdeps.sh
	bash scripts/sysdeps.sh
	mkdir -p $(VENV) && touch $(SYS)

$(STAMP): pyproject.toml $(SYS)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev,corpus,web]'
	touch $(STAMP)

# OCR (the optional extra `ocr`): rapidocr needs opencv-python-headless, img2table
# opencv-contrib-python (a GUI build linking libGL); both write cv2/. The tested fix (STACK.md
# §3): remove both, reinstall the one build with ximgproc and no libGL. `pip check` then warns
# about the two requirements; harmless, so it is not run as a gate.
$(OCR): pyproject.toml $(STAMP)
	$(BIN)/pip install --quiet -e '.[dev,corpus,web,ocr]'
	$(BIN)/pip uninstall --quiet -y opencv-python-headless opencv-contrib-python
	$(BIN)/pip install --quiet --force-reinstall --no-deps '$(OPENCV)'
	$(BIN)/python -c "import cv2, cv2.ximgproc, onnxruntime, rapidocr, img2table"
	touch $(OCR)

ocr: $(OCR)

# Debian's chromium for the web workbench's browser tests (Playwright drives it; it cannot
# download a browser here).
BROWSER := $(VENV)/.browser
$(BROWSER): scripts/sysdeps.sh
	bash scripts/sysdeps.sh chromium
	mkdir -p $(VENV) && touch $(BROWSER)

browser: $(BROWSER)

demo: $(STAMP)
	$(BIN)/juesuan demo

test: $(STAMP) $(OCR) $(BROWSER) lint
	$(BIN)/pytest -q

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/mypy

bench: $(STAMP) $(OCR)
	$(BIN)/python bench/check.py
	$(BIN)/python bench/import.py
	$(BIN)/python bench/build.py
	$(BIN)/python bench/mutate.py
	$(BIN)/python bench/web.py

serve: $(STAMP)
	$(BIN)/juesuan serve

# Every reader, the build source and the rule file against 20,000 mutated real inputs (~1 h on
# 2 cores); crashing inputs are kept in tests/data/fuzz/ (exit 1 when there is one).
fuzz: $(STAMP)
	$(BIN)/python bench/fuzz.py --inputs 20000 --jobs 2

# Regenerate the JSON Schema shipped in the package (a test fails when it is stale).
schema: $(STAMP)
	$(BIN)/python -c "import json; from juesuan.model.serialize import json_schema; print(json.dumps(json_schema(), ensure_ascii=False, indent=1))" > src/juesuan/model/data/report.schema.json

docs: $(STAMP)
	$(BIN)/python -c "from juesuan.rules.declarations import all_rules, rules_markdown; print(rules_markdown(all_rules()), end='')" > docs/rules.md

clean:
	rm -rf $(VENV) juesuan-demo .pytest_cache .mypy_cache .ruff_cache
