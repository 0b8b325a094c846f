# Filière — the two commands users need are `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
MANAGE := $(BIN)/python -m filiere
SCENARIO := normandie-numerique-2017
CHROMIUM := /usr/bin/chromium

.PHONY: install setup run test test-suite quality browser bench vendor messages clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

## Database, reference data, the Normandy scenario and its demo data (idempotent).
setup: install
	$(MANAGE) migrate --noinput
	$(MANAGE) createcachetable
	$(MANAGE) load_reference_data
	$(MANAGE) load_scenario $(SCENARIO)
	$(MANAGE) load_demo_data
	$(MANAGE) load_demo_register
	$(MANAGE) load_demo_labels
	$(MANAGE) load_demo_needs
	$(MANAGE) load_demo_support
	$(MANAGE) load_demo_events
	$(MANAGE) load_demo_projects
	$(MANAGE) load_demo_registers
	$(MANAGE) load_demo_casefile

## The web server, a worker and the periodic scheduler, each its own process (honcho, Procfile).
run: setup
	@echo "Filière : http://127.0.0.1:8000 — web, worker and beat start below, each its own process;"
	@echo "the task queue is kept in var/queue (set REDIS_URL to use Redis)."
	$(BIN)/honcho start -f Procfile

## Debian's Chromium for the browser tests (installed when missing and we are root).
browser:
	@if [ ! -x $(CHROMIUM) ]; then \
		if [ "$$(id -u)" = "0" ]; then \
			apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium; \
		else \
			echo "Chromium ($(CHROMIUM)) manque : installez le paquet Debian « chromium »."; exit 1; \
		fi; \
	fi

quality: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/djlint filiere/templates --lint
	$(BIN)/lint-imports
	DJANGO_SETTINGS_MODULE=filiere.settings.test $(MANAGE) makemigrations --check --dry-run

## The test suite alone, on whatever DATABASE_URL says (SQLite by default), on two processes.
test-suite: install browser
	$(BIN)/pytest -n 2 $(PYTEST_ARGS)

test: quality test-suite

## Benchmarks (by hand; each prints its figures and its target).
bench: setup
	$(BIN)/python bench/reference_data.py
	$(BIN)/python bench/pages.py
	$(BIN)/python bench/observatory.py
	$(BIN)/python bench/search.py
	$(BIN)/python bench/register_import.py
	$(BIN)/python bench/matching.py
	$(BIN)/python bench/matching_ceiling.py
	$(BIN)/python bench/meetings.py
	$(BIN)/python bench/load.py

## Refresh vendored front-end libraries from the npm registry (needs npm).
vendor:
	scripts/vendor.sh

## Regenerate the English catalogue after changing interface texts (needs gettext).
## -P: run from filiere/, the current directory must not come first on the path, where
## filiere/celery.py would stand for the celery package.
messages: install
	cd filiere && PYTHONPATH=.. ../$(BIN)/python -P -m filiere makemessages -l en --no-obsolete --no-location --no-wrap
	cd filiere && PYTHONPATH=.. ../$(BIN)/python -P -m filiere compilemessages -l en -l fr

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache
