# Two set-up commands for a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1:8000

.PHONY: demo test test-fast bench bench-quick bench-load lint format security venv venv-test clean screenshots

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/pip install -q -e .
	touch $@

$(VENV)/.installed-test: $(BIN)/python pyproject.toml
	$(BIN)/pip install -q -e '.[test]'
	touch $@ $(VENV)/.installed

venv: $(VENV)/.installed
venv-test: $(VENV)/.installed-test

## Install, migrate the embedded SQLite database, seed demo data and serve on http://$(HOST)
demo: venv
	$(BIN)/mash migrate --noinput
	$(BIN)/mash demo
	EMAIL_BACKEND=console SECURE_COOKIES=false HSTS_SECONDS=0 $(BIN)/mash serve $(HOST)

## Install the test extras and run the whole test suite (DATABASE_URL picks PostgreSQL)
test: venv-test
	$(BIN)/pytest

## Benchmarks: ratios measured in one run (see tests/bench/README.md)
bench: venv-test
	$(BIN)/python -m tests.bench

## Every benchmark at small sizes (a few minutes; CI runs it): fails if one crashes or misses
bench-quick: venv-test
	$(BIN)/python -m tests.bench --quick

## The hub under load: gunicorn on loopback, 20 users, each page's p95 beside a bare view
## (BENCH_LOAD_ENQUIRIES=1000; DATABASE_URL picks PostgreSQL)
bench-load: venv-test
	$(BIN)/python -m tests.bench load

## Browser tests with screenshots written to docs/screenshots/ (look at them, then commit)
screenshots: venv-test
	MASH_SCREENSHOTS=1 $(BIN)/pytest tests/e2e

lint: venv-test
	$(BIN)/ruff check src tests
	$(BIN)/ruff format --check src tests
	$(BIN)/mypy

## Security checks: bandit over src/, then the schemathesis and form fuzzing (tests/security)
security: venv-test
	$(BIN)/bandit -c pyproject.toml -r src -q
	$(BIN)/pytest tests/security

format: venv-test
	$(BIN)/ruff check --fix src tests
	$(BIN)/ruff format src tests

clean:
	rm -rf $(VENV) var
