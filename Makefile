# The two commands a new user needs: `make run` and `make test`.
# Everything else here is what those two call.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
# Test database server for the PostgreSQL half of the suite; pytest-django
# creates and drops its own "test_<name>" database there.
PG_TEST_URL ?= postgres://postgres@127.0.0.1:5432/akkoordmonitor
HOST ?= 127.0.0.1:8000

.PHONY: run test test-sqlite test-postgres lint migrations-check install browser redis clean benchmark benchmark-pages serve-prod

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $@

install: $(VENV)/.installed

browser:
	bash scripts/install-browser.sh

# Debian's redis-server, for the two-server test (idempotent, like `browser`).
redis:
	bash scripts/install-redis.sh

## run: install, migrate, load the seed data and serve http://127.0.0.1:8000/
run: install
	DEBUG=1 $(BIN)/python manage.py migrate --noinput
	DEBUG=1 $(BIN)/python manage.py load_seed
	DEBUG=1 $(BIN)/python manage.py runserver $(HOST)

## test: lint, migration check and the whole suite on SQLite and on PostgreSQL
test: install browser redis lint migrations-check test-sqlite test-postgres

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

migrations-check: install
	DEBUG=1 $(BIN)/python manage.py makemigrations --check --dry-run

test-sqlite: install
	@echo "== Test suite on SQLite =="
	env -u DATABASE_URL $(BIN)/pytest $(PYTEST_ARGS)

test-postgres: install
	@echo "== Test suite on PostgreSQL =="
	bash scripts/ensure-postgres.sh
	DATABASE_URL=$(PG_TEST_URL) $(BIN)/pytest $(PYTEST_ARGS)

## benchmark: import speed and memory on SQLite and PostgreSQL (not part of `make test`)
benchmark: install
	bash scripts/ensure-postgres.sh
	$(BIN)/python scripts/benchmark_import.py

## benchmark-pages: every page type at 100x the corpus on PostgreSQL, served by
## gunicorn with deploy/gunicorn.conf.py; builds database akk_scale_bench once
## (docs/performance.md). BENCH_ARGS e.g. "--rebuild" or "--seconds 5".
benchmark-pages: install
	bash scripts/ensure-postgres.sh
	$(BIN)/python scripts/benchmark_pages.py $(BENCH_ARGS)

## serve-prod: smoke check of the production setup: collectstatic, migrate, gunicorn
## (DEBUG off, https enforced: send X-Forwarded-Proto: https, as the proxy does).
serve-prod: install
	export DEBUG=0 STATIC_MANIFEST=1 \
	  SECRET_KEY="$${SECRET_KEY:-$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(64))')}"; \
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0 && \
	$(BIN)/python manage.py migrate --noinput && \
	exec $(BIN)/gunicorn -c deploy/gunicorn.conf.py config.wsgi

clean:
	rm -rf $(VENV) staticfiles .pytest_cache
