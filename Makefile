# Two commands do everything: `make run` serves the API with demo data, `make test` runs the suite.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
SQLITE_TEST_URL ?= sqlite+aiosqlite:///var/test.sqlite3
PG_TEST_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/test
TEST_REDIS_URL ?= redis://127.0.0.1:6379/15
PORT ?= 8000

# Pinned versions: requirements.lock (what the service runs on; Docker installs it) and
# requirements-dev.lock (the same pins plus the test and lint tools). `make lock` rewrites both
# from pyproject.toml, keeping the current pins where the bounds allow; `make lock
# LOCK_ARGS=--upgrade` moves every package to its newest release within the bounds.
LOCK_ARGS ?=
UV_COMPILE = $(BIN)/uv pip compile pyproject.toml --universal --python-version 3.11 --quiet $(LOCK_ARGS)

.PHONY: install lock run test test-sqlite test-postgres lint bench schema clean

$(BIN)/.installed: pyproject.toml requirements-dev.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.lock
	$(BIN)/pip install --quiet --no-deps -e .
	touch $@

install: $(BIN)/.installed

lock: install  ## Regenerate the lock files from pyproject.toml.
	$(UV_COMPILE) -o requirements.lock
	$(UV_COMPILE) --extra dev -c requirements.lock -o requirements-dev.lock

run: install  ## Serve on :$(PORT) with GraphiQL, the example storefront, SQLite and demo data.
	$(BIN)/erp db upgrade
	$(BIN)/erp demo --url http://127.0.0.1:$(PORT)
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
