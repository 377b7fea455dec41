#!/usr/bin/env bash
# Schemathesis over /api/openapi.json against the app under its production server.
# Fails on any server error or any response outside the documented schema.
set -euo pipefail
cd "$(dirname "$0")/.."
PORT="${FUZZ_PORT:-8765}"
mkdir -p var
rm -f var/fuzz.sqlite3*
export DATABASE_URL="sqlite:///$PWD/var/fuzz.sqlite3"
scripts/serve-prod.sh "$PORT" 1 > var/fuzz-server.log 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true; wait $SERVER 2>/dev/null || true' EXIT
for _ in $(seq 1 60); do
  curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && break
  sleep 1
done
curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null || { cat var/fuzz-server.log; exit 1; }
.venv/bin/schemathesis run "http://127.0.0.1:$PORT/api/openapi.json" \
  --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance,negative_data_rejection \
  --max-examples "${FUZZ_EXAMPLES:-60}" --seed 20261125 --workers 1 --request-timeout 10 --no-color
