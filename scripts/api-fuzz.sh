#!/usr/bin/env bash
# Schemathesis over /api/openapi.json against the app under its production server, then a
# deterministic pass of hostile strings (NUL, lone surrogate, control character, RTL override,
# 10,000 characters) into every parameter and body field (scripts/api_hostile.py).
# Runs against SQLite and against PostgreSQL: SQLite accepts NUL bytes in text, PostgreSQL
# does not, so only the second finds what reaches the database unchecked.
# Fails on any server error or any response outside the documented schema.
set -euo pipefail
cd "$(dirname "$0")/.."
PORT="${FUZZ_PORT:-8765}"
PG_ADMIN_URL="${FUZZ_PG_ADMIN_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
PG_DB="${FUZZ_PG_DB:-lifecareer_fuzz}"
PG_URL="${PG_ADMIN_URL%/*}/$PG_DB"
mkdir -p var
SERVER=""

stop_server() {
  if [ -n "$SERVER" ]; then
    kill "$SERVER" 2>/dev/null || true
    wait "$SERVER" 2>/dev/null || true
    SERVER=""
  fi
}

cleanup() {
  stop_server
  psql "$PG_ADMIN_URL" -q -c "DROP DATABASE IF EXISTS $PG_DB WITH (FORCE)" >/dev/null 2>&1 || true
}
trap cleanup EXIT

fuzz() {
  local label="$1"
  echo "== API fuzzing on $label"
  scripts/serve-prod.sh "$PORT" 1 > "var/fuzz-server-$label.log" 2>&1 &
  SERVER=$!
  # migrate, reference data and collectstatic come first: allow a slow, busy CI machine.
  for _ in $(seq 1 300); do
    curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && break
    kill -0 "$SERVER" 2>/dev/null || break
    sleep 1
  done
  curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null || { cat "var/fuzz-server-$label.log"; exit 1; }
  .venv/bin/schemathesis run "http://127.0.0.1:$PORT/api/openapi.json" \
    --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance,negative_data_rejection \
    --max-examples "${FUZZ_EXAMPLES:-60}" --seed 20261125 --workers 1 --request-timeout 10 --no-color
  .venv/bin/python scripts/api_hostile.py "http://127.0.0.1:$PORT"
  stop_server
}

rm -f var/fuzz.sqlite3*
export DATABASE_URL="sqlite:///$PWD/var/fuzz.sqlite3"
fuzz sqlite

scripts/ensure-services.sh >/dev/null
psql "$PG_ADMIN_URL" -q -c "DROP DATABASE IF EXISTS $PG_DB WITH (FORCE)" >/dev/null
psql "$PG_ADMIN_URL" -q -c "CREATE DATABASE $PG_DB" >/dev/null
export DATABASE_URL="$PG_URL"
fuzz postgres
