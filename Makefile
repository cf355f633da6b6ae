# The two commands of the README: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip

.PHONY: run test install install-dev serve clean

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(VENV)/bin/python
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(VENV)/bin/python
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -e ".[dev]"
	touch $(VENV)/.installed $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

## Set up and run the app on SQLite with Milan loaded and the demo users.
run: install
	DEBUG=1 $(PY) manage.py migrate --noinput
	DEBUG=1 $(PY) manage.py seed_demo
	DEBUG=1 $(PY) manage.py runserver 127.0.0.1:8000

## Set up and run the whole test suite.
test: install-dev
	$(PY) -m pytest $(PYTEST_ARGS)

## The production-like stack on this machine: collectstatic, migrate, gunicorn (DEBUG off).
## Plain HTTP on 127.0.0.1:8000, so HTTPS=0; production sits behind a TLS proxy (README, "Deploying").
serve: install
	@test -n "$$SECRET_KEY" || test -f .secret_key || $(PY) -c "import secrets; print(secrets.token_urlsafe(50))" > .secret_key
	export SECRET_KEY="$${SECRET_KEY:-$$(cat .secret_key)}" ALLOWED_HOSTS="$${ALLOWED_HOSTS:-127.0.0.1,localhost}" HTTPS="$${HTTPS:-0}"; \
	$(PY) manage.py collectstatic --noinput -v0 && \
	$(PY) manage.py migrate --noinput && \
	$(PY) manage.py seed_demo && \
	$(VENV)/bin/gunicorn -c gunicorn.conf.py mega.wsgi

clean:
	rm -rf $(VENV) db.sqlite3 .cache staticfiles
