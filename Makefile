# Betatracker — everything a fresh machine needs, from Python and pip alone.
PYTHON_VERSION := $(shell cat .python-version)
# The machines carry Python through pyenv; fall back on python3.13 / python3 on the PATH.
PYTHON ?= $(shell (command -v pyenv >/dev/null && pyenv prefix $(PYTHON_VERSION) >/dev/null 2>&1 && echo "$$(pyenv prefix $(PYTHON_VERSION))/bin/python") || command -v python$(PYTHON_VERSION) || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py

.PHONY: help install run test lint migrate demo import-betagouv bench loadtest clean messages screenshots lighthouse

help:
	@echo "make run   — install, migrate, load the demo and serve http://127.0.0.1:8000 (with the task worker)"
	@echo "make test  — install and run the whole test suite"

# The development lock: the production lock (requirements.txt, what a PaaS installs) plus the test and lint tools.
$(VENV)/.installed: requirements.txt requirements-dev.txt pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else "Python >= 3.12 is needed (found " + sys.version.split()[0] + "): install $(PYTHON_VERSION), e.g. with pyenv.")'
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed

migrate: install
	$(MANAGE) migrate --noinput

demo: migrate
	$(MANAGE) demo

# The server, with the task worker and the scheduler of periodic tasks in the background (Procfile: worker,
# clock); both are stopped with the server (Ctrl-C).
run: demo
	$(MANAGE) db_worker --no-reload & worker=$$!; \
	$(MANAGE) crontask --no-heartbeat & clock=$$!; \
	trap 'kill $$worker $$clock 2>/dev/null; wait' EXIT; trap 'exit 130' INT TERM; \
	$(MANAGE) runserver 127.0.0.1:8000

test: install
	$(PY) -m pytest $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

# Refresh locale/en/LC_MESSAGES/django.po from the code and compile django.mo (needs GNU gettext).
messages: install
	PYTHON=$(PY) scripts/i18n_update.sh

import-betagouv: migrate
	$(MANAGE) import_betagouv ../shared/betagouv

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles

loadtest: install
	scripts/loadtest.sh

# Screenshots of every role's main pages at 1366 and 390 px, in French and in English, into screenshots/
# (ignored): the demo served as in production (gunicorn, whitenoise, DEBUG off) in a temporary folder.
screenshots: install
	$(PY) scripts/screenshots.py

# Lighthouse 12 (mobile preset, signed in) on the main pages: installs it in a temporary folder (needs npm).
lighthouse: install
	PYTHON=$(PY) scripts/lighthouse.sh
