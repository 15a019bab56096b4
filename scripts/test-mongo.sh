#!/usr/bin/env bash
# A throwaway MongoDB-compatible server for hookport's MongoDB tests:
# FerretDB v1.24.2 (built from the Go module proxy, cached) on a PostgreSQL 15
# that this script starts on a free loopback port in a temporary directory.
#
#   scripts/test-mongo.sh build          build (or find) the FerretDB binary, print its path
#   scripts/test-mongo.sh run CMD ARGS   start both servers, run CMD with MONGODB_URI set,
#                                        stop both, exit with CMD's status
#   scripts/test-mongo.sh                start both, print MONGODB_URI, stay up until Ctrl-C
#
# The binary is cached in ${HOOKPORT_FERRETDB_CACHE:-~/.cache/hookport-ferretdb}/<version>/.
# PostgreSQL's initdb refuses to run as root, so as root PostgreSQL runs as the
# `postgres` user (FerretDB runs as the caller). Both servers are stopped on exit, whatever the exit.
set -euo pipefail

FERRETDB_VERSION="v1.24.2"
CACHE_DIR="${HOOKPORT_FERRETDB_CACHE:-${HOME:-/root}/.cache/hookport-ferretdb}/${FERRETDB_VERSION}"
FERRETDB_BIN="${CACHE_DIR}/ferretdb"

log() { echo "test-mongo: $*" >&2; }

# The module fetched with `go install`/`go mod download` lacks build/version/version.txt,
# and a binary built without it panics at start: build from a writable copy that has it.
build_ferretdb() {
  if [ -x "$FERRETDB_BIN" ]; then echo "$FERRETDB_BIN"; return 0; fi
  command -v go >/dev/null || { log "go is not installed (needed to build FerretDB)"; return 1; }
  log "building FerretDB ${FERRETDB_VERSION} into ${CACHE_DIR} (about 2 minutes the first time)"
  mkdir -p "$CACHE_DIR"
  local work; work="$(mktemp -d)"
  (
    cd "$work"
    go mod init hookport-ferretdb-fetch >/dev/null 2>&1
    go mod download "github.com/FerretDB/FerretDB@${FERRETDB_VERSION}"
    local src; src="$(go env GOMODCACHE)/github.com/!ferret!d!b/!ferret!d!b@${FERRETDB_VERSION}"
    cp -r "$src" "$work/src"
    chmod -R u+w "$work/src"
    mkdir -p "$work/src/build/version"
    echo "$FERRETDB_VERSION" > "$work/src/build/version/version.txt"
    cd "$work/src"
    go build -o "$FERRETDB_BIN.tmp" ./cmd/ferretdb
    mv "$FERRETDB_BIN.tmp" "$FERRETDB_BIN"
  )
  local rc=$?
  rm -rf "$work"
  [ $rc -eq 0 ] || return $rc
  echo "$FERRETDB_BIN"
}

pg_bindir() {
  local d
  for d in /usr/lib/postgresql/*/bin; do
    if [ -x "$d/initdb" ]; then echo "$d"; return 0; fi
  done
  command -v initdb >/dev/null && { dirname "$(command -v initdb)"; return 0; }
  return 1
}

free_port() {
  node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}

wait_for_port() { # port seconds
  local i
  for ((i = 0; i < $2 * 10; i++)); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then return 0; fi
    sleep 0.1
  done
  return 1
}

TMP=""
PG_BIN=""
FERRET_PID=""
as_pg_user() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

stop_servers() {
  if [ -n "$FERRET_PID" ]; then kill "$FERRET_PID" 2>/dev/null || true; wait "$FERRET_PID" 2>/dev/null || true; fi
  if [ -n "$TMP" ] && [ -f "$TMP/pg/postmaster.pid" ]; then
    as_pg_user "$PG_BIN/pg_ctl" -D "$TMP/pg" -m immediate stop >/dev/null 2>&1 || true
  fi
  [ -n "$TMP" ] && rm -rf "$TMP"
  return 0
}

start_servers() {
  local ferretdb; ferretdb="$(build_ferretdb)"
  PG_BIN="$(pg_bindir)" || { log "PostgreSQL is not installed (apt-get install postgresql-15)"; return 1; }
  TMP="$(mktemp -d /tmp/hookport-mongo.XXXXXX)"
  chmod 755 "$TMP"
  trap stop_servers EXIT
  trap 'exit 130' INT TERM
  if [ "$(id -u)" = 0 ]; then chown postgres "$TMP"; fi

  local pg_port; pg_port="$(free_port)"
  as_pg_user "$PG_BIN/initdb" -D "$TMP/pg" -U postgres --auth=trust -E UTF8 >"$TMP/initdb.log" 2>&1 \
    || { cat "$TMP/initdb.log" >&2; return 1; }
  # fsync stays on: the tests kill hookport, not the database, but a 2xx means durably stored.
  as_pg_user "$PG_BIN/pg_ctl" -D "$TMP/pg" -l "$TMP/pg.log" -w \
    -o "-c listen_addresses=127.0.0.1 -p $pg_port -k $TMP -c max_connections=200" start >/dev/null \
    || { cat "$TMP/pg.log" >&2; return 1; }
  as_pg_user "$PG_BIN/createdb" -h 127.0.0.1 -p "$pg_port" -U postgres ferretdb

  local mongo_port; mongo_port="$(free_port)"
  "$ferretdb" --handler=postgresql \
    --postgresql-url="postgres://postgres@127.0.0.1:${pg_port}/ferretdb" \
    --state-dir="$TMP" --listen-addr="127.0.0.1:${mongo_port}" --debug-addr=127.0.0.1:0 \
    --telemetry=disable --log-level=error >"$TMP/ferretdb.log" 2>&1 &
  FERRET_PID=$!
  wait_for_port "$mongo_port" 30 || { log "FerretDB did not start"; cat "$TMP/ferretdb.log" >&2; return 1; }
  export MONGODB_URI="mongodb://127.0.0.1:${mongo_port}/hookport"
  log "PostgreSQL on 127.0.0.1:${pg_port}, FerretDB on 127.0.0.1:${mongo_port}"
}

case "${1:-}" in
  build)
    build_ferretdb
    ;;
  run)
    shift
    [ $# -gt 0 ] || { log "usage: $0 run CMD [ARGS...]"; exit 2; }
    start_servers
    echo "MONGODB_URI=$MONGODB_URI"
    set +e
    "$@"
    status=$?
    exit $status
    ;;
  "")
    start_servers
    echo "MONGODB_URI=$MONGODB_URI"
    log "Ctrl-C stops both servers"
    wait "$FERRET_PID"
    ;;
  *)
    log "usage: $0 [build | run CMD [ARGS...]]"
    exit 2
    ;;
esac
