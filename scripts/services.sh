#!/usr/bin/env bash
# PostgreSQL and Redis on this machine for tests/test_production.py (Debian packages): installs
# them if missing (as root), starts them if they do not answer. Idempotent and quick when both run.
set -euo pipefail

answers() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

missing=()
command -v pg_ctlcluster >/dev/null || missing+=(postgresql)
command -v redis-server >/dev/null || missing+=(redis-server)
if [ ${#missing[@]} -gt 0 ]; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
  # A fresh CI machine: the tests connect as postgres over TCP without a password, as here.
  if [ "${CI:-}" = true ] && [[ " ${missing[*]} " == *" postgresql "* ]]; then
    for hba in /etc/postgresql/*/main/pg_hba.conf; do
      sed -i '1i host all postgres 127.0.0.1/32 trust\nhost all postgres ::1/128 trust' "$hba"
    done
  fi
fi

if ! answers 5432; then
  for version in $(ls /etc/postgresql); do
    pg_ctlcluster --skip-systemctl-redirect "$version" main start
  done
fi
if ! answers 6379; then
  mkdir -p /var/lib/redis /var/log/redis
  redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
    --dir /var/lib/redis --logfile /var/log/redis/ci.log
fi
for _ in $(seq 1 60); do
  answers 5432 && answers 6379 && exit 0
  sleep 0.5
done
echo "error: PostgreSQL (127.0.0.1:5432) or Redis (127.0.0.1:6379) did not start" >&2
exit 1
