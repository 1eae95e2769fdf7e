#!/usr/bin/env bash
# Starts the local PostgreSQL and NATS (JetStream) when they are installed but stopped.
set -euo pipefail

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

if ! port_open 5432; then
  if command -v pg_ctlcluster >/dev/null 2>&1; then
    echo "starting PostgreSQL"
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main start
  else
    echo "PostgreSQL is not running on 127.0.0.1:5432 and pg_ctlcluster is not installed" >&2; exit 1
  fi
fi

if ! port_open 4222; then
  if [ -x /usr/sbin/nats-server ]; then
    echo "starting NATS with JetStream"
    mkdir -p /var/lib/nats-server
    start-stop-daemon --start --oknodo --background --exec /usr/sbin/nats-server -- \
      -a 127.0.0.1 -p 4222 -js -sd /var/lib/nats-server -l /var/log/nats-server.log
  else
    echo "NATS is not running on 127.0.0.1:4222 and /usr/sbin/nats-server is not installed" >&2; exit 1
  fi
fi

for i in $(seq 1 50); do port_open 5432 && port_open 4222 && exit 0; sleep 0.2; done
echo "PostgreSQL or NATS did not come up" >&2; exit 1
