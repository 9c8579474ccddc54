# The two commands on a fresh machine: `make build` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: build test serve validate lint bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[test]"
	touch $(STAMP)

## validate the catalogue, then build the site (both languages) and its PDFs into site/
build: $(STAMP)
	$(BIN)/aidcatalog validate catalog
	NO_MKDOCS_2_WARNING=1 $(BIN)/aidcatalog build

## run the whole test suite
test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/pytest -q

## preview the site while editing: http://127.0.0.1:8000
serve: $(STAMP)
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs serve

validate: $(STAMP)
	$(BIN)/aidcatalog validate catalog

bench: $(STAMP)
	$(BIN)/python scripts/bench.py

clean:
	rm -rf site .cache content/.generated
