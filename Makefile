# The two commands of the README: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
CORPUS ?= ../shared/corpus
DB ?= claimscope.db

.PHONY: setup demo test test-fast bench clean

$(BIN)/.installed: pyproject.toml
	./scripts/system-deps.sh
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test]'
	touch $@

setup: $(BIN)/.installed

demo: setup
	$(BIN)/claimscope analyze $(CORPUS) --db $(DB); $(BIN)/claimscope stats --db $(DB)

test: setup
	$(BIN)/pytest -n 2 -p no:cacheprovider

test-fast: setup
	$(BIN)/pytest -n 2 -m "not slow and not browser"

bench: setup
	$(BIN)/python bench/throughput.py

clean:
	rm -rf $(VENV) $(DB) $(DB)-wal $(DB)-shm tests/artifacts
