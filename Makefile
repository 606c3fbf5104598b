# essgraph — the two commands: `make demo` and `make test` (see README.md).
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
CORPUS ?= $(if $(wildcard ../shared/corpus),../shared/corpus,essgraph/ingest/samples)
export ESSGRAPH_HOME ?= ./var

.PHONY: demo test lint install docs clean bench

$(STAMP): pyproject.toml
	test -d $(VENV) || $(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q "torch==2.13.0"
	$(BIN)/pip install -q -e ".[dev,st,use]"
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/essgraph ingest $(CORPUS)
	$(BIN)/essgraph stats
	$(BIN)/essgraph serve --host 127.0.0.1 --port 8000

test: $(STAMP)
	$(BIN)/python -m pytest -q

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports

docs: $(STAMP)
	$(BIN)/python -m essgraph.ontology.docgen > docs/ontology.md
	$(BIN)/python -m essgraph.app.clidoc > docs/cli.md
	$(BIN)/python -m essgraph.graph.example_queries > docs/queries.md

# the quick benchmarks of docs/BENCHMARKS.md on the default corpus (minutes); the slow ones (scale,
# load, crash consistency, backup/restore, ingest speed) are run one by one, commands in that file
bench: $(STAMP)
	$(BIN)/essgraph ingest $(CORPUS)
	$(BIN)/essgraph eval search ../shared/eval/queries.jsonl
	$(BIN)/python bench/search_latency.py --repeat 5 --embed-sample 32
	$(BIN)/python bench/query_threads.py

clean:
	rm -rf var
