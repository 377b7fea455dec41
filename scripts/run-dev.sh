#!/usr/bin/env bash
# `make run`: the development server plus one background-job worker (django-q2, ORM broker:
# the queue lives in the same SQLite file, so no extra server is needed).
set -euo pipefail
cd "$(dirname "$0")/.."
.venv/bin/python manage.py qcluster > var/worker.log 2>&1 &
WORKER=$!
trap 'kill $WORKER 2>/dev/null || true' EXIT INT TERM
echo "lifecareer: http://127.0.0.1:8000  (background worker pid $WORKER, log var/worker.log)"
.venv/bin/python manage.py runserver 127.0.0.1:8000
