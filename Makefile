# The two commands of the README: `make run` and `make test`. Both set up a
# fresh machine first (system packages, a virtualenv, the pinned JVM jars).

VENV ?= .venv
PYTHON ?= python3
BIN := $(VENV)/bin
ORDERFLOW := $(BIN)/orderflow

.PHONY: setup run up down status test lint typecheck unit clean

setup: $(VENV)/.installed
	@$(ORDERFLOW) setup

# The extras: dev (tests, lint, types) and bench (orderflow bench and chaos, tested here too).
$(VENV)/.installed: pyproject.toml constraints.txt scripts/install-system-deps
	./scripts/install-system-deps
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -c constraints.txt -e '.[dev,bench]'
	touch $@

run: setup
	$(ORDERFLOW) up
	$(ORDERFLOW) demo

up: setup
	$(ORDERFLOW) up

down:
	$(ORDERFLOW) down

status:
	$(ORDERFLOW) status

lint: $(VENV)/.installed
	$(BIN)/ruff check src tests bench examples
	$(BIN)/ruff format --check src tests bench examples

typecheck: $(VENV)/.installed
	$(BIN)/mypy

unit: $(VENV)/.installed
	$(BIN)/pytest tests/unit

test: setup lint typecheck
	$(BIN)/pytest

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache
