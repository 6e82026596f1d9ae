#!/usr/bin/env bash
# Starts the action server, waits until it answers, then serves the assistant with the web chat
# and its demo page (`web`, what `make run` does), opens a chat in this terminal (`shell`) or
# serves the assistant over HTTP with its API (`serve`). Stops everything on exit.
set -euo pipefail
cd "$(dirname "$0")/.."
mode=${1:-web}
# PROFILE=production serves with PostgreSQL and Redis instead (docs/deployment.md).
if [ "$mode" = serve ] && [ "${PROFILE:-}" = production ]; then exec bash scripts/production.sh; fi
rasa_port=${RASA_PORT:-5005}
actions_port=${ACTIONS_PORT:-5055}
model=models/ia-assistent.tar.gz
mkdir -p logs
endpoints=endpoints.yml
if [ "$actions_port" != 5055 ]; then
  mkdir -p build
  sed "s#localhost:5055/webhook#localhost:$actions_port/webhook#" endpoints.yml >build/endpoints.yml
  endpoints=build/endpoints.yml
fi
# Library deprecation notices are noise for someone trying the assistant.
export PYTHONWARNINGS=ignore

.venv/bin/rasa run actions --actions actions --port "$actions_port" >logs/actions.log 2>&1 &
actions_pid=$!
trap 'kill "$actions_pid" 2>/dev/null || true' EXIT INT TERM

# wait_for URL PID NAME LOG: until URL answers; stops with LOG's tail if the process PID has died.
wait_for() {
  until curl -fsS "$1" >/dev/null 2>&1; do
    if ! kill -0 "$2" 2>/dev/null; then
      echo "The $3 did not start; see $4" >&2
      tail -n 20 "$4" >&2
      exit 1
    fi
    sleep 0.5
  done
}
wait_for "http://localhost:$actions_port/health" "$actions_pid" "action server" logs/actions.log

case "$mode" in
  web)
    # The web chat's session tokens are signed with WEBCHAT_JWT_KEY; one is kept in logs/ so that a
    # conversation in the browser goes on after a restart.
    if [ -z "${WEBCHAT_JWT_KEY:-}" ]; then
      [ -s logs/webchat-jwt-key ] || (umask 077; head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' >logs/webchat-jwt-key)
      WEBCHAT_JWT_KEY=$(cat logs/webchat-jwt-key)
      export WEBCHAT_JWT_KEY
    fi
    echo "Starting the assistant (about a minute; log: logs/rasa.log, action server: logs/actions.log) ..."
    .venv/bin/rasa run --model "$model" --endpoints "$endpoints" --credentials credentials.yml \
      --interface "${RASA_INTERFACE:-127.0.0.1}" --port "$rasa_port" >logs/rasa.log 2>&1 &
    rasa_pid=$!
    trap 'kill "$rasa_pid" "$actions_pid" 2>/dev/null || true' EXIT INT TERM
    wait_for "http://localhost:$rasa_port/" "$rasa_pid" assistant logs/rasa.log
    echo
    echo "  The assistant is ready. Open the demo page with the chat:  http://localhost:$rasa_port/webchat/"
    echo "  Embed it in a page:  <script src=\"http://localhost:$rasa_port/webchat/ia-chat.js\" defer></script> <ia-chat></ia-chat>"
    echo
    echo "Ctrl+C stops the assistant."
    wait "$rasa_pid"
    ;;
  shell)
    echo "Starting the assistant (about a minute). Type a question, e.g. 'Hva gjør verneombudet i IA-arbeidet?'; /stop ends the chat."
    .venv/bin/rasa shell --model "$model" --endpoints "$endpoints"
    ;;
  serve)
    echo "Action server: http://localhost:$actions_port (log: logs/actions.log)"
    echo "Assistant:     http://localhost:$rasa_port  - ready when GET /status answers; then try:"
    echo "  curl -s localhost:$rasa_port/webhooks/rest/webhook -H 'Content-Type: application/json' \\"
    echo "       -d '{\"sender\": \"me\", \"message\": \"Hva gjør verneombudet i IA-arbeidet?\"}'"
    # Rasa's HTTP API reads and writes conversations: only on this machine, and only with a token.
    token=${RASA_API_TOKEN:-$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')}
    echo "HTTP API (trackers, /model/parse): on this machine only, with ?token=<the token in logs/api-token>"
    (umask 077; echo "$token" >logs/api-token)
    .venv/bin/rasa run --model "$model" --endpoints "$endpoints" --credentials credentials.yml \
      --interface "${RASA_INTERFACE:-127.0.0.1}" --port "$rasa_port" --enable-api --auth-token "$token" --cors "*"
    ;;
  *)
    echo "usage: scripts/run.sh web|shell|serve" >&2; exit 2 ;;
esac
