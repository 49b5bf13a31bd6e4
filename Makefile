# Touchpoint: the two commands are `make run` and `make test`; the rest are their parts.
# Every target creates .venv with the machine's python3 when it is missing.

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
PIP    := $(PY) -m pip install --quiet --disable-pip-version-check
HOST   ?= 127.0.0.1
PORT   ?= 8000
# settings.py builds SITE_URL (links in emails, QR codes, the demo widget's origin) from them.
export HOST PORT
# PostgreSQL used by `make test` when DATABASE_URL is not set but a server answers locally.
LOCAL_PG_URL ?= postgres://postgres@127.0.0.1:5432/touchpoint

.PHONY: help run serve install install-dev verifier migrate demo test test-sqlite test-postgres lint messages bench clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

$(VENV)/.installed: pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) -e .
	@touch $@

$(VENV)/.installed-dev: pyproject.toml $(VENV)/.installed
	$(PIP) -e ".[dev]"
	@touch $@

install: $(VENV)/.installed ## create .venv and install the app

install-dev: $(VENV)/.installed-dev verifier ## install the app plus test and lint tools

# The independent Open Badges verifier the tests run (npm packages, git-ignored folder).
tests/verifier/node_modules/.package-lock.json: tests/verifier/package-lock.json
	cd tests/verifier && npm ci --no-audit --no-fund --loglevel=error

verifier: ## the Open Badges verifier from the npm registry, when node and npm are installed
	@if command -v npm >/dev/null; then \
		$(MAKE) --no-print-directory tests/verifier/node_modules/.package-lock.json; \
	else \
		echo "Open Badges verifier: skipped (no npm; its test will skip)"; \
	fi

migrate: install ## apply database migrations
	$(PY) manage.py migrate --no-input

demo: migrate ## load the Ridgeline demo story (safe to run again)
	$(PY) manage.py seed_demo

run: demo ## install, migrate, load demo data, serve on http://127.0.0.1:8000 with the task worker
	@$(MAKE) --no-print-directory serve

serve: ## the web server and the background worker together; Ctrl+C stops both
	@echo "Touchpoint on http://$(HOST):$(PORT)/  (demo sign-ins are in README.md; Ctrl+C stops)"
	@trap 'kill 0' INT TERM EXIT; \
	$(PY) manage.py worker --reload & \
	$(PY) manage.py runserver $(HOST):$(PORT)

test: install-dev ## the whole suite on SQLite, then on PostgreSQL when one is reachable
	@$(MAKE) --no-print-directory test-sqlite
	@if [ -n "$$DATABASE_URL" ] || $(PY) -c "import socket; socket.create_connection(('127.0.0.1', 5432), 1)" 2>/dev/null; then \
		$(MAKE) --no-print-directory test-postgres; \
	else \
		echo "PostgreSQL: skipped (no DATABASE_URL and nothing answers on 127.0.0.1:5432)"; \
	fi

test-sqlite: install-dev ## the suite on SQLite only
	env -u DATABASE_URL $(PY) -m pytest -n 2 -q $(PYTEST_ARGS)

test-postgres: install-dev ## the suite on PostgreSQL ($$DATABASE_URL, or the local server)
	DATABASE_URL=$${DATABASE_URL:-$(LOCAL_PG_URL)} $(PY) -m pytest -n 2 -q $(PYTEST_ARGS)

lint: install-dev ## ruff, mypy, the layer contract (import-linter) and the translation check, as CI runs them
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy touchpoint
	$(VENV)/bin/lint-imports --no-cache
	@$(MAKE) --no-print-directory messages
	@stats=$$(msgfmt --statistics -o /dev/null touchpoint/locale/es/LC_MESSAGES/django.po 2>&1); echo "es: $$stats"; \
	if echo "$$stats" | grep -qE "untranslated|fuzzy"; then echo "Translate the new strings in touchpoint/locale/es/LC_MESSAGES/django.po"; exit 1; fi

messages: install ## re-extract translatable strings and compile the catalogues
	cd touchpoint && ../$(PY) ../manage.py makemessages -l es --no-obsolete --no-location --ignore "*/tests/*" -v 0
	cd touchpoint && ../$(PY) ../manage.py compilemessages -v 0

bench: install-dev ## benchmarks in bench/ (see bench/README.md); needs PostgreSQL
	bash bench/home_load.sh

clean: ## remove the virtualenv, the SQLite database and uploaded media
	rm -rf $(VENV) db.sqlite3* media tests/verifier/node_modules
