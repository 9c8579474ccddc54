# The two commands on a fresh machine: `make build` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install build test serve validate hooks docs bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[test]"
	touch $(STAMP)

## install the pinned dependencies into .venv (the other targets do it when needed)
install: $(STAMP)

## validate the catalogue and build the site (both languages) and its PDFs into site/ (the build
## stops on the validator's messages; `make validate` gives them alone)
build: $(STAMP)
	NO_MKDOCS_2_WARNING=1 $(BIN)/aidcatalog build

NPM_STAMP := tests/browser/node_modules/.installed

# The browser tests' checkers (axe-core, the Nu Html Checker, Lighthouse), pinned by package-lock.json.
# Without npm the browser tests are skipped on a laptop and fail under CI=true (README, Prerequisites).
$(NPM_STAMP): tests/browser/package-lock.json
	@if command -v npm >/dev/null; then \
		cd tests/browser && npm ci --no-audit --no-fund --ignore-scripts >/dev/null && touch node_modules/.installed; \
	else echo "npm not found: the browser tests will be skipped (apt-get install npm)"; fi

## run the whole test suite
test: $(STAMP) $(NPM_STAMP)
	$(BIN)/ruff check .
	$(BIN)/pytest -q -n auto --maxprocesses=4 --dist worksteal

## preview the site while editing: http://127.0.0.1:8000 (--dirty: an edit re-renders only the pages it changes)
serve: $(STAMP)
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs serve --dirty

validate: $(STAMP)
	$(BIN)/aidcatalog validate catalog

## check every commit before it is made (once per clone)
hooks: $(STAMP)
	$(BIN)/pre-commit install

## regenerate the editor schemas and the generated parts of the staff guide
docs: $(STAMP)
	$(BIN)/aidcatalog schema --out schemas
	$(BIN)/python scripts/staff_guide.py

## speed against the stack's floor, in one run
bench: $(STAMP)
	$(BIN)/python scripts/bench_validate.py
	$(BIN)/python scripts/bench_site.py
	$(BIN)/python scripts/bench_pdf.py

clean:
	rm -rf site .cache content/.generated
