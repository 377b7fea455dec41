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
	$(DEV_ENV) bash scripts/run-dev.sh

messages: install
	$(PY) manage.py makemessages -l en --ignore=.venv --ignore=frontend --ignore=var
	$(PY) manage.py compilemessages --ignore=.venv

# Debian packages the tests use: Chromium for browser tests (never a test tool's own
# browser download), poppler-utils and Tesseract with its Korean model to read back the
# PDFs we generate (text, a PNG of the page, and OCR of that PNG).
browsers:
	@if ! command -v chromium >/dev/null || ! command -v pdftotext >/dev/null || ! command -v tesseract >/dev/null; then \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium poppler-utils tesseract-ocr tesseract-ocr-kor >/dev/null; fi

lint: install
	$(VENV)/bin/ruff check .

typecheck: install
	$(TEST_ENV) $(VENV)/bin/mypy .

checks: install
	$(TEST_ENV) $(PY) manage.py makemigrations --check --dry-run
	$(PROD_ENV) $(PY) manage.py check --deploy --fail-level WARNING

# A stale var/staticfiles (from `make bench` or the API fuzzing) would be served by WhiteNoise
# instead of the current files; the suite serves static files from the apps directly.
# Coverage is measured here only; each file must stay at or above its floor in
# coverage-floor.json (raise floors: `python scripts/coverage-floor.py var/coverage.json --update`).
test-sqlite: install browsers
	rm -rf var/staticfiles && mkdir -p var/staticfiles
	rm -rf var/pdf-fonts  # fonts cached by an earlier run would leave core/pdf.py's build unmeasured
	$(TEST_ENV) $(VENV)/bin/pytest --cov --cov-report=json:var/coverage.json
	$(PY) scripts/coverage-floor.py var/coverage.json

test-postgres: install browsers
	rm -rf var/staticfiles && mkdir -p var/staticfiles
	bash scripts/ensure-services.sh
	$(TEST_ENV) DATABASE_URL=$(PG_URL) $(VENV)/bin/pytest

api-fuzz: install
	bash scripts/api-fuzz.sh

test: lint typecheck checks test-sqlite test-postgres api-fuzz

bench: install
	@command -v wrk >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null)
	@command -v nginx >/dev/null || test -x /usr/sbin/nginx || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx libnginx-mod-http-brotli-filter libnginx-mod-http-brotli-static >/dev/null)
	bash scripts/ensure-services.sh
	$(PY) bench/diagnosis_simulation.py
	$(PY) bench/load.py
	$(PY) bench/enrolment.py
	$(PY) bench/booking.py
	$(PY) bench/writes.py
	$(PY) bench/page_weight.py
	$(PY) bench/sweep.py
	$(PY) bench/topology.py
	$(PY) bench/scale.py
	# The dashboards on scale.py's 1 M database (kept by it): the roll-up and every view, no second fill.
	$(PY) bench/dashboards.py --existing postgres://postgres@127.0.0.1:5432/lifecareer_bench_1m

clean:
	rm -rf $(VENV) var
