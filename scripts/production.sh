#!/usr/bin/env bash
# The production profile (docs/deployment.md): Rasa with conversations in PostgreSQL, locks in
# Redis, several Sanic workers, the HTTP API only with a token or a JWT, CORS only for the
# configured origins. `make serve` runs it when PROFILE=production. Settings: .env.example.
#
#   scripts/production.sh [all]   check, start the action server, then Rasa (stops both on exit)
#   scripts/production.sh rasa    check, then only Rasa (the action server runs elsewhere)
#   scripts/production.sh actions only the action server
#   scripts/production.sh check   only the checks: model, authentication, PostgreSQL, Redis
set -euo pipefail
cd "$(dirname "$0")/.."
mode=${1:-all}

export RASA_MODEL=${RASA_MODEL:-models/ia-assistent.tar.gz}
export RASA_PORT=${RASA_PORT:-5005} RASA_INTERFACE=${RASA_INTERFACE:-127.0.0.1}
export ACTIONS_PORT=${ACTIONS_PORT:-5055} ACTIONS_INTERFACE=${ACTIONS_INTERFACE:-127.0.0.1}
export ACTION_SERVER_URL=${ACTION_SERVER_URL:-http://127.0.0.1:$ACTIONS_PORT/webhook}
export SANIC_WORKERS=${SANIC_WORKERS:-2} ACTION_SERVER_SANIC_WORKERS=${ACTION_SERVER_SANIC_WORKERS:-2}
export DB_HOST=${DB_HOST:-127.0.0.1} DB_PORT=${DB_PORT:-5432} DB_NAME=${DB_NAME:-ia_assistent}
export DB_USER=${DB_USER:-ia_assistent} DB_PASSWORD=${DB_PASSWORD:-}
export REDIS_HOST=${REDIS_HOST:-127.0.0.1} REDIS_PORT=${REDIS_PORT:-6379} REDIS_DB=${REDIS_DB:-1}
export REDIS_PASSWORD=${REDIS_PASSWORD:-} REDIS_KEY_PREFIX=${REDIS_KEY_PREFIX:-iaassistent}
export PYTHONPATH=$PWD TF_CPP_MIN_LOG_LEVEL=${TF_CPP_MIN_LOG_LEVEL:-2}
export RASA_TELEMETRY_ENABLED=false SQLALCHEMY_SILENCE_UBER_WARNING=1 PYTHONWARNINGS=ignore

actions() {
  SANIC_HOST=$ACTIONS_INTERFACE exec .venv/bin/rasa run actions --actions actions --port "$ACTIONS_PORT"
}

rasa() {
  local args=(--model "$RASA_MODEL" --endpoints endpoints.production.yml --credentials credentials.yml
              --interface "$RASA_INTERFACE" --port "$RASA_PORT" --enable-api)
  [ -z "${RASA_API_TOKEN:-}" ] || args+=(--auth-token "$RASA_API_TOKEN")
  [ -z "${JWT_SECRET:-}" ] || args+=(--jwt-secret "$JWT_SECRET" --jwt-method "${JWT_METHOD:-HS256}")
  # Browsers may call the HTTP API only from these origins (none if unset).
  if [ -n "${CORS_ORIGINS:-}" ]; then
    read -ra origins <<<"$CORS_ORIGINS"
    args+=(--cors "${origins[@]}")
  fi
  exec .venv/bin/rasa run "${args[@]}"
}

check() {
  .venv/bin/python scripts/preflight.py "$mode"
}

case "$mode" in
  check) check ;;
  actions) actions ;;
  rasa) check; rasa ;;
  all)
    check
    (actions) &
    actions_pid=$! rasa_pid=
    # A SIGTERM to this script (a process manager stopping it) stops both servers.
    trap 'kill $actions_pid $rasa_pid 2>/dev/null || true' EXIT INT TERM
    for _ in $(seq 1 120); do
      curl -fsS "http://127.0.0.1:$ACTIONS_PORT/health" >/dev/null 2>&1 && break
      kill -0 "$actions_pid" 2>/dev/null || { echo "error: the action server did not start" >&2; exit 1; }
      sleep 0.5
    done
    (rasa) &
    rasa_pid=$!
    wait "$rasa_pid"
    ;;
  *) echo "usage: scripts/production.sh [all|rasa|actions|check]" >&2; exit 2 ;;
esac
