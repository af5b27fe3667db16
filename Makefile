# Two commands do everything: `make run` serves the API with demo data, `make test` runs the suite.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
SQLITE_TEST_URL ?= sqlite+aiosqlite:///var/test.sqlite3
PG_TEST_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/test
TEST_REDIS_URL ?= redis://127.0.0.1:6379/15
PORT ?= 8000

.PHONY: install run test test-sqlite test-postgres lint bench schema clean

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

install: $(BIN)/.installed

run: install  ## Serve on :$(PORT) with GraphiQL, SQLite and demo data (in-process worker).
	$(BIN)/erp db upgrade
	$(BIN)/erp demo
	$(BIN)/erp serve --host 127.0.0.1 --port $(PORT)

test: install  ## The whole suite on SQLite, then on PostgreSQL, with the real Redis.
	$(MAKE) --no-print-directory test-sqlite
	$(MAKE) --no-print-directory test-postgres

test-sqlite: install
	TEST_DATABASE_URL='$(SQLITE_TEST_URL)' TEST_REDIS_URL='$(TEST_REDIS_URL)' $(BIN)/pytest -q $(PYTEST_ARGS)

test-postgres: install
	TEST_DATABASE_URL='$(PG_TEST_URL)' TEST_REDIS_URL='$(TEST_REDIS_URL)' $(BIN)/pytest -q $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check api domain jobs tests bench
	$(BIN)/ruff format --check api domain jobs tests bench
	$(BIN)/mypy

bench: install  ## Throughput and latency against a server on PostgreSQL.
	$(BIN)/python -m bench.purchasing
	$(BIN)/python -m bench.run

schema: install  ## Rewrite schema.graphql from the live schema.
	$(BIN)/erp schema export

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
