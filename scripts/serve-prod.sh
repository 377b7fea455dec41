#!/usr/bin/env bash
# Serve lifecareer the way production does: granian (WSGI), DEBUG off, collected static files.
# Usage: scripts/serve-prod.sh PORT [WORKERS]   (env: DATABASE_URL, SECRET_KEY, ...)
# SKIP_RELEASE_STEPS=1: only start granian (several app processes on one database: the
# release steps run once, before them — docs/operations.md §4).
set -euo pipefail
cd "$(dirname "$0")/.."
PORT="${1:-8000}"
WORKERS="${2:-2}"
export DEBUG=0
export SECRET_KEY="${SECRET_KEY:-$(head -c 48 /dev/urandom | base64 | tr -d '\n/+=')}"
export ALLOWED_HOSTS="${ALLOWED_HOSTS:-127.0.0.1,localhost}"
export SECURE_SSL_REDIRECT="${SECURE_SSL_REDIRECT:-0}"
export SECURE_COOKIES="${SECURE_COOKIES:-0}"
if [[ "${SKIP_RELEASE_STEPS:-0}" != "1" ]]; then
  .venv/bin/python manage.py migrate --noinput -v0
  .venv/bin/python manage.py load_reference_data -v0
  .venv/bin/python manage.py collectstatic --noinput -v0
fi
exec .venv/bin/granian --interface wsgi lifecareer.wsgi:application \
  --host 127.0.0.1 --port "$PORT" --workers "$WORKERS" --blocking-threads 1 --no-ws --log-level warning
