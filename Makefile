# The few commands people type. Everything installs from requirements.lock into .venv.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PG_URL ?= postgres://postgres@127.0.0.1:5432/test
HOST ?= 127.0.0.1:8000

.PHONY: run setup test test-sqlite test-postgres browser lint format bench load fuzz messages demo clean

$(STAMP): requirements.lock requirements-build.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements-build.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $(STAMP)

setup: $(STAMP)

## Start the app with demo data on SQLite at http://127.0.0.1:8000
run: $(STAMP)
	@$(BIN)/proxima migrate --noinput -v 0
	@echo "Loading the demo territory and accounts…"
	@(umask 077 && DEBUG=1 $(BIN)/proxima demo > proxima-demo.txt)
	@DEBUG=1 $(BIN)/proxima serve $(HOST) --banner proxima-demo.txt

## Every test: unit, API, import/export, permissions and browser, on SQLite
## (and on PostgreSQL when DATABASE_URL is set).
test: $(STAMP)
	@./scripts/ensure-chromium
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/proxima makemigrations --check --dry-run > /dev/null
	$(BIN)/pytest -n 2 --dist loadgroup

test-postgres: $(STAMP)
	DATABASE_URL=$(PG_URL) $(MAKE) test

lint: $(STAMP)
	$(BIN)/ruff check src tests bench

format: $(STAMP)
	$(BIN)/ruff format src tests bench
	$(BIN)/ruff check --fix src tests bench

bench: $(STAMP)
	$(BIN)/python bench/search.py

## Load test: front-line workers against `proxima serve --production` and against
## runserver, on PostgreSQL (database proxima_load at LOAD_DATABASE_URL), 60 s each.
LOAD_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/proxima_load
load: $(STAMP)
	LOAD_DATABASE_URL=$(LOAD_DATABASE_URL) $(BIN)/python bench/load.py

## Fuzz the API much harder than CI does: schemathesis, FUZZ_EXAMPLES examples per
## operation and role (default 500; long), figures printed per role.
FUZZ_EXAMPLES ?= 500
fuzz: $(STAMP)
	PROXIMA_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(BIN)/pytest -n 2 -rA tests/core/test_api_fuzz.py

## Refresh the French catalog after changing user-facing strings (needs GNU gettext).
messages: $(STAMP)
	cd src/proxima && ../../$(BIN)/proxima makemessages -l fr --no-obsolete && ../../$(BIN)/proxima compilemessages

clean:
	rm -rf $(VENV) proxima.sqlite3* staticfiles .pytest_cache
