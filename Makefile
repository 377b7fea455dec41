# lifecareer — two commands: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
PG_URL ?= postgres://postgres@127.0.0.1:5432/lifecareer
DEV_ENV := DEBUG=1 SECURE_COOKIES=0 SECURE_SSL_REDIRECT=0 EMAIL_BACKEND=django.core.mail.backends.console.EmailBackend
TEST_ENV := DEBUG=0 SECRET_KEY=test-only-secret-key-0123456789-abcdefghijklmnop SECURE_COOKIES=0 SECURE_SSL_REDIRECT=0
PROD_ENV := DEBUG=0 SECRET_KEY=$$(head -c 48 /dev/urandom | base64 | tr -d '\n/+=') ALLOWED_HOSTS=lifecareer.example

.PHONY: run test install db lint typecheck checks test-sqlite test-postgres api-fuzz browsers bench clean messages

$(STAMP): pyproject.toml requirements.lock
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check uv==0.13.9
	$(VENV)/bin/uv pip install --quiet --python $(PY) -r requirements.lock
	touch $(STAMP)

install: $(STAMP)

db: install
	mkdir -p var
	$(DEV_ENV) $(PY) manage.py migrate --noinput
	$(DEV_ENV) $(PY) manage.py load_reference_data

run: db
	@echo "lifecareer: http://127.0.0.1:8000"
	$(DEV_ENV) $(PY) manage.py runserver 127.0.0.1:8000

messages: install
	$(PY) manage.py makemessages -l en --ignore=.venv --ignore=frontend --ignore=var
	$(PY) manage.py compilemessages --ignore=.venv

# Debian's Chromium for the browser tests (never a test tool's own browser download).
browsers:
	@command -v chromium >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null)

lint: install
	$(VENV)/bin/ruff check .

typecheck: install
	$(TEST_ENV) $(VENV)/bin/mypy .

checks: install
	$(TEST_ENV) $(PY) manage.py makemigrations --check --dry-run
	$(PROD_ENV) $(PY) manage.py check --deploy --fail-level WARNING

test-sqlite: install browsers
	$(TEST_ENV) $(VENV)/bin/pytest

test-postgres: install browsers
	bash scripts/ensure-services.sh
	$(TEST_ENV) DATABASE_URL=$(PG_URL) $(VENV)/bin/pytest

api-fuzz: install
	bash scripts/api-fuzz.sh

test: lint typecheck checks test-sqlite test-postgres api-fuzz

bench: install
	$(PY) bench/diagnosis_simulation.py
	$(PY) bench/load.py

clean:
	rm -rf $(VENV) var
