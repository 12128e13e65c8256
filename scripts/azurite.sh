#!/usr/bin/env bash
# Starts or stops a local Azurite (Azure Storage emulator) for CI and local runs.
#
#   scripts/azurite.sh start   install azurite@3.37.0 with npm if missing, start it in the background on
#                              127.0.0.1:10000 (blob), 10001 (queue), 10002 (table), wait until all three
#                              accept connections, and print the connection string on stdout
#   scripts/azurite.sh stop    stop the instance started by 'start' and delete its data
#   scripts/azurite.sh status  say whether it runs; exit 0 if it does
#
# Progress goes to stderr, so 'CONNECTION_STRING=$(scripts/azurite.sh start)' works.
# State (pid, log, data) lives in $AZURITE_STATE_DIR, by default ${TMPDIR:-/tmp}/orleansring-azurite.
# --skipApiVersionCheck: Azure.Storage.Blobs 12.30 sends API versions newer than Azurite knows.
set -euo pipefail

readonly VERSION=3.37.0
readonly HOST=127.0.0.1
readonly PORTS=(10000 10001 10002)
readonly STATE_DIR="${AZURITE_STATE_DIR:-${TMPDIR:-/tmp}/orleansring-azurite}"
readonly PID_FILE="$STATE_DIR/azurite.pid"
readonly LOG_FILE="$STATE_DIR/azurite.log"
readonly DATA_DIR="$STATE_DIR/data"
readonly START_TIMEOUT_S=60
REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
readonly REPO_ROOT

# Azurite's well-known development account; the key is public, not a secret.
readonly CONNECTION_STRING="DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;BlobEndpoint=http://$HOST:${PORTS[0]}/devstoreaccount1;QueueEndpoint=http://$HOST:${PORTS[1]}/devstoreaccount1;TableEndpoint=http://$HOST:${PORTS[2]}/devstoreaccount1;"

log() { echo "azurite.sh: $*" >&2; }

port_open() { (exec 3<>"/dev/tcp/$HOST/$1") 2>/dev/null; }

running_pid() {
  [[ -f "$PID_FILE" ]] || return 1
  local pid
  pid="$(cat "$PID_FILE")"
  [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null && echo "$pid"
}

find_azurite() {
  if command -v azurite >/dev/null 2>&1; then
    command -v azurite
  elif [[ -x "$REPO_ROOT/node_modules/.bin/azurite" ]]; then
    echo "$REPO_ROOT/node_modules/.bin/azurite"
  else
    return 1
  fi
}

ensure_installed() {
  local exe
  if exe="$(find_azurite)"; then
    echo "$exe"
    return
  fi
  command -v npm >/dev/null 2>&1 || { log "Azurite is not installed and npm is not on PATH: install Node.js and npm first."; exit 1; }
  log "installing azurite@$VERSION with npm"
  npm install -g --no-fund --no-audit "azurite@$VERSION" >&2
  exe="$(find_azurite)" || { log "npm install -g azurite@$VERSION finished, but no 'azurite' is on PATH (npm prefix: $(npm prefix -g))."; exit 1; }
  echo "$exe"
}

start() {
  local pid
  if pid="$(running_pid)"; then
    log "already running (pid $pid)"
    echo "$CONNECTION_STRING"
    return
  fi
  for port in "${PORTS[@]}"; do
    if port_open "$port"; then
      log "port $HOST:$port is already in use by another process; stop it first (or run the tests, which start their own Azurite on free ports)."
      exit 1
    fi
  done

  local exe
  exe="$(ensure_installed)"
  rm -rf "$STATE_DIR"
  mkdir -p "$DATA_DIR"
  log "starting $exe, data in $DATA_DIR, log in $LOG_FILE"
  nohup "$exe" \
    --blobHost "$HOST" --blobPort "${PORTS[0]}" \
    --queueHost "$HOST" --queuePort "${PORTS[1]}" \
    --tableHost "$HOST" --tablePort "${PORTS[2]}" \
    --location "$DATA_DIR" --skipApiVersionCheck --disableTelemetry \
    --silent >"$LOG_FILE" 2>&1 </dev/null &
  echo $! >"$PID_FILE"

  local waited=0
  for port in "${PORTS[@]}"; do
    until port_open "$port"; do
      if ! running_pid >/dev/null; then
        log "Azurite exited before listening on $HOST:$port. Log:"
        tail -n 30 "$LOG_FILE" >&2 || true
        exit 1
      fi
      if (( waited >= START_TIMEOUT_S * 10 )); then
        log "Azurite did not listen on $HOST:$port within ${START_TIMEOUT_S} s. Log:"
        tail -n 30 "$LOG_FILE" >&2 || true
        stop
        exit 1
      fi
      sleep 0.1
      waited=$((waited + 1))
    done
  done
  log "ready (pid $(cat "$PID_FILE")) on $HOST:${PORTS[0]}/${PORTS[1]}/${PORTS[2]}"
  echo "$CONNECTION_STRING"
}

stop() {
  local pid
  if pid="$(running_pid)"; then
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 50); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    if kill -0 "$pid" 2>/dev/null; then
      log "pid $pid did not stop on SIGTERM; killing it"
      kill -9 "$pid" 2>/dev/null || true
    fi
    log "stopped (pid $pid)"
  else
    log "not running"
  fi
  rm -rf "$STATE_DIR"
}

status() {
  local pid
  if pid="$(running_pid)"; then
    log "running (pid $pid)"
  else
    log "not running"
    return 1
  fi
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  *)
    echo "usage: $0 start|stop|status" >&2
    exit 2
    ;;
esac
