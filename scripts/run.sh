#!/usr/bin/env bash
# Starts the action server, waits until it answers, then either opens a chat in this
# terminal (`shell`) or serves the assistant over HTTP (`serve`). Stops both on exit.
set -euo pipefail
cd "$(dirname "$0")/.."
mode=${1:-shell}
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

for _ in $(seq 1 120); do
  if curl -fsS "http://localhost:$actions_port/health" >/dev/null 2>&1; then break; fi
  if ! kill -0 "$actions_pid" 2>/dev/null; then
    echo "The action server did not start; see logs/actions.log" >&2
    tail -n 20 logs/actions.log >&2
    exit 1
  fi
  sleep 0.5
done

case "$mode" in
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
    echo "usage: scripts/run.sh shell|serve" >&2; exit 2 ;;
esac
