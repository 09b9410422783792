# The two set-up commands of README.md: `make run` serves the app, `make test` runs every test.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: run test install system-deps demo screenshots translations

# Python packages, in a virtual environment beside the code; redone when pyproject.toml changes.
$(VENV)/.installed: pyproject.toml
	bash scripts/system-deps.sh run
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

install: $(VENV)/.installed

run: install
	$(BIN)/python manage.py init-db
	$(BIN)/python manage.py serve --host $(HOST) --port $(PORT)

# Debian's Chromium and PostgreSQL 15 for the browser and PostgreSQL tests.
system-deps:
	bash scripts/system-deps.sh test

# As root, system-deps has just installed Chromium and PostgreSQL, so their tests must run:
# a missing one fails instead of skipping. Another user without them gets skips and a
# message. CI (.ci/run) sets both to 1 whoever it runs as.
AS_ROOT := $(shell [ "$$(id -u)" -eq 0 ] && echo 1 || echo 0)
DIARY_REQUIRE_POSTGRES ?= $(AS_ROOT)
DIARY_REQUIRE_BROWSER ?= $(AS_ROOT)

# Lint, format and the layers (import-linter's contracts in pyproject.toml) are checked first:
# a minute of pytest is not spent on a tree they refuse.
test: install system-deps
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	DIARY_TEST_DATABASES=sqlite,postgresql DIARY_REQUIRE_POSTGRES=$(DIARY_REQUIRE_POSTGRES) \
		DIARY_REQUIRE_BROWSER=$(DIARY_REQUIRE_BROWSER) $(BIN)/python -m pytest

demo: install
	$(BIN)/python manage.py demo demo@example.dk --days 90

screenshots: install
	bash scripts/system-deps.sh screenshots
	$(BIN)/python scripts/screenshots.py
	$(BIN)/python scripts/pwa_screenshots.py

translations: install
	PYBABEL=$(BIN)/pybabel bash scripts/translations.sh all
