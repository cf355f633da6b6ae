# The two commands of the README: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip

.PHONY: run test lint lock install install-dev install-js serve clean messages

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)

# Exactly the versions of the lock files (pip-tools, with hashes); the project itself on top.
# To change a dependency: edit pyproject.toml, then `make lock` and commit the two .lock files.
$(VENV)/.installed: requirements.lock | $(VENV)/bin/python
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet --require-hashes -r requirements.lock
	$(PIP) install --quiet --no-deps -e .
	touch $@

$(VENV)/.installed-dev: requirements-dev.lock | $(VENV)/bin/python
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet --require-hashes -r requirements-dev.lock
	$(PIP) install --quiet --no-deps -e .
	touch $(VENV)/.installed $@

LOCK_OPTIONS := --quiet --generate-hashes --strip-extras --allow-unsafe --no-emit-index-url --no-emit-find-links
lock: | $(VENV)/bin/python
	$(PIP) install --quiet pip-tools
	$(VENV)/bin/pip-compile $(LOCK_OPTIONS) --output-file requirements.lock pyproject.toml
	$(VENV)/bin/pip-compile $(LOCK_OPTIONS) --extra dev --output-file requirements-dev.lock pyproject.toml

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

# axe-core (package.json, npm registry only) for the accessibility browser tests. Without npm
# those tests are skipped, except with CI=true, where they fail.
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

install-js:
	@if [ -f package.json ] && command -v npm >/dev/null 2>&1; then \
	  $(MAKE) --no-print-directory node_modules/.installed; \
	else echo "npm not found: the axe-core accessibility tests will be skipped (CI=true makes them fail)."; fi

## The interface's message catalogues, regenerated in one go (needs GNU gettext): the marked
## strings extracted into locale/*/LC_MESSAGES/django.po, then compiled to the .mo files, which are
## committed (tests/test_i18n_compiled.py checks that they match). Translate the new entries of the
## .po files, run it again, commit both.
MESSAGES_IGNORE := --ignore=.venv --ignore=node_modules --ignore=staticfiles --ignore=tests --ignore=bench
messages: install
	DEBUG=1 $(PY) manage.py makemessages --all $(MESSAGES_IGNORE) -v0
	DEBUG=1 $(PY) manage.py compilemessages --ignore=.venv -v0

## Set up and run the app on SQLite with Milan loaded and the demo users.
run: install
	DEBUG=1 $(PY) manage.py migrate --noinput
	DEBUG=1 $(PY) manage.py seed_demo
	@# A task worker beside the development server renders the PDFs, at a lower CPU priority
	@# (downloads/management/commands/task_worker.py); it stops with the server.
	DEBUG=1 $(PY) manage.py task_worker & worker=$$!; trap 'kill $$worker' EXIT INT TERM; \
	DEBUG=1 $(PY) manage.py runserver 127.0.0.1:8000

## The linter and the formatter's check (rules in pyproject.toml); `make test` runs them first.
## `.venv/bin/ruff format .` formats the code.
lint: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

## Set up and run the whole test suite, on as many workers as there are cores (pytest-xdist).
PYTEST_WORKERS ?= auto
test: install-dev install-js lint
	$(PY) -m pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

## The production-like stack on this machine: collectstatic, migrate, a task worker and gunicorn
## (DEBUG off).
## Plain HTTP on 127.0.0.1:8000, so HTTPS=0; production sits behind a TLS proxy (README, "Deploying").
serve: install
	@test -n "$$SECRET_KEY" || test -f .secret_key || $(PY) -c "import secrets; print(secrets.token_urlsafe(50))" > .secret_key
	export SECRET_KEY="$${SECRET_KEY:-$$(cat .secret_key)}" ALLOWED_HOSTS="$${ALLOWED_HOSTS:-127.0.0.1,localhost}" HTTPS="$${HTTPS:-0}"; \
	$(PY) manage.py collectstatic --noinput -v0 && \
	$(PY) manage.py migrate --noinput && \
	$(PY) manage.py seed_demo && \
	{ $(PY) manage.py task_worker --no-reload & worker=$$!; trap 'kill $$worker' EXIT INT TERM; \
	  $(VENV)/bin/gunicorn -c gunicorn.conf.py mega.wsgi; }

clean:
	rm -rf $(VENV) db.sqlite3 .cache staticfiles
