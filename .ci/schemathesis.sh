#!/usr/bin/env bash
# API fuzzing (#11): schemathesis, pinned, with every check, against the OpenAPI
# document the server itself serves. Exits non-zero on any failure.
# Needs a built tree (npm test builds dist/); installs schemathesis into a venv once.
set -uo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

SCHEMATHESIS_VERSION=4.32.5
venv=".ci/.venv"
if ! "$venv/bin/schemathesis" --version 2>/dev/null | grep -q "version $SCHEMATHESIS_VERSION\$"; then
  python3 -m venv "$venv" || { echo "schemathesis: python3 -m venv failed"; exit 2; }
  "$venv/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$SCHEMATHESIS_VERSION" || { echo "schemathesis: pip install failed"; exit 2; }
fi

work="$(mktemp -d)"
key="$(node -e 'process.stdout.write(require("crypto").randomBytes(24).toString("hex"))')"
port="$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{process.stdout.write(String(s.address().port));s.close()})')"
# Failed authentications are what schemathesis's ignored_auth check sends on purpose: do not hold it off.
PORT="$port" HOST=127.0.0.1 DATA_DIR="$work/data" HOOKPORT_ADMIN_KEY="$key" LOG_LEVEL=warn \
  HOOKPORT__admin__failedAuth__maxFailures=1000000 \
  node dist/lib/server.js > "$work/server.log" 2>&1 &
server=$!
stop_server() { kill "$server" 2>/dev/null; wait "$server" 2>/dev/null; }
trap stop_server EXIT
for _ in $(seq 1 100); do
  curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break
  sleep 0.2
done

# From the scratch folder: schemathesis keeps its caches in the working directory.
(cd "$work" && "$root/$venv/bin/schemathesis" --config-file "$root/.ci/schemathesis.toml" run "http://127.0.0.1:$port/api/v1/openapi.json" \
  --checks all \
  --header "Authorization: Bearer $key" \
  --workers 1 --max-examples "${HOOKPORT_SCHEMATHESIS_EXAMPLES:-25}" --seed 11 \
  --request-timeout 20 --no-color --suppress-health-check all \
  --generation-database none --report junit --report-dir "$work/report")
status=$?
if [ $status -ne 0 ]; then
  echo "schemathesis failed (exit $status); server log: $work/server.log"
  tail -20 "$work/server.log"
fi
exit $status
