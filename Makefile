# zhie: the two set-up commands are `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
SHARED ?= ../shared
OUT    ?= out

.PHONY: install install-extras demo test test-fast bench train train-ner clean

install: $(VENV)/.installed
$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	touch $@

# HanLP backend, Spark engine and training need PyTorch and PySpark; the tests exercise them.
# torch is pinned first so that pip takes the CPU build instead of the CUDA one.
install-extras: $(VENV)/.installed-extras
$(VENV)/.installed-extras: $(VENV)/.installed
	$(BIN)/pip install -q 'torch==2.13.0'
	$(BIN)/pip install -q -e '.[dev,hanlp,spark,train]'
	touch $@

demo: install
	$(BIN)/zhie run corpus/dump -o $(OUT)/demo --workers 1
	@echo "demo output: $(OUT)/demo (documents.jsonl entities.jsonl triples.jsonl errors.jsonl summary.json)"

test: install install-extras
	$(BIN)/python -m pytest -q

test-fast: install
	$(BIN)/python -m pytest -q -m "not slow"

clean:
	rm -rf $(VENV) $(OUT) .pytest_cache

# Accuracy on the public sets in ../shared (when present), the corpus gold, speed and memory,
# each beside the jieba anchor; rewrites BENCHMARKS.md.
bench: install
	ZHIE_SHARED=$(SHARED) $(BIN)/python scripts/bench.py --shared $(SHARED)

# Rebuild the shipped models from the train splits in ../shared/data (about 30 minutes on 2 cores
# for the NER model); writes models/ner, whose MODEL_CARD.md records data, recipe and scores.
train: train-ner

train-ner: install-extras
	$(BIN)/python scripts/train_ner.py --data $(SHARED)/data/ner --out models/ner
