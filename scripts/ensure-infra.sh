#!/usr/bin/env bash
# The PostgreSQL (127.0.0.1:5432, user postgres without a password) and NATS with JetStream
# (127.0.0.1:4222) that `npm test` and `npm start` use. Silent when both run (CI calls it before
# every run). Otherwise: starts them when installed; installs them first when run as root on
# Debian or Ubuntu; anywhere else says what to install, or to use `docker compose up`.
set -euo pipefail

NATS_SERVER_BIN=/usr/sbin/nats-server

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
say() { echo "ensure-infra: $*" >&2; }

port_open 5432 && port_open 4222 && exit 0

pg_version() { ls /etc/postgresql 2>/dev/null | sort -V | tail -n1; }
pg_installed() { command -v pg_ctlcluster >/dev/null && [ -n "$(pg_version)" ]; }
nats_installed() { [ -x "$NATS_SERVER_BIN" ]; }
is_root() { [ "$(id -u)" = 0 ]; }
debian_like() { [ -r /etc/debian_version ] && command -v apt-get >/dev/null; }

# $@: the Debian packages that are missing here.
explain_install_and_exit() {
  say "not installed here: $*"
  if debian_like; then
    say "install with:  sudo apt-get install $*"
    say "or run this as root (sudo bash scripts/ensure-infra.sh): it installs and starts them"
  elif [ "$(uname -s)" = Darwin ]; then
    say "install with:  brew install postgresql@15 nats-server && createuser -s postgres"
    say "then start:    brew services start postgresql@15; nats-server -a 127.0.0.1 -p 4222 -js &"
  else
    say "install PostgreSQL 15 or newer (on 127.0.0.1:5432, trusting user postgres there)"
    say "and nats-server 2.9 or newer, started with -a 127.0.0.1 -p 4222 -js"
  fi
  say "or run everything in containers instead: docker compose up (README: Running with Docker)"
  exit 1
}

# $1: what is stopped, $2: the command that starts it.
need_root_and_exit() {
  say "$1 is installed but stopped; as root, start it with: $2"
  exit 1
}

# The tests and `npm start` connect as postgres without a password, as on a developer's machine;
# Debian's own rules ask for one over TCP.
trust_local_postgres() {
  local hba
  hba="/etc/postgresql/$(pg_version)/main/pg_hba.conf"
  sed -i '1i host all postgres 127.0.0.1/32 trust\nhost all postgres ::1/128 trust' "$hba"
}

install_missing() {
  local packages=()
  if ! port_open 5432 && ! pg_installed; then packages+=(postgresql); fi
  if ! port_open 4222 && ! nats_installed; then packages+=(nats-server); fi
  [ ${#packages[@]} -eq 0 ] && return 0
  is_root && debian_like || explain_install_and_exit "${packages[@]}"

  say "installing ${packages[*]} (apt-get)"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${packages[@]}" >/dev/null
  if [[ " ${packages[*]} " == *" postgresql "* ]]; then
    trust_local_postgres
    # The package may have started the cluster already; it must read the new rules.
    if port_open 5432; then pg_ctlcluster "$(pg_version)" main reload --skip-systemctl-redirect; fi
  fi
}

start_stopped() {
  if ! port_open 5432; then
    is_root || need_root_and_exit PostgreSQL "pg_ctlcluster $(pg_version) main start"
    say "starting PostgreSQL $(pg_version)"
    pg_ctlcluster --skip-systemctl-redirect "$(pg_version)" main start
  fi
  if ! port_open 4222; then
    is_root || need_root_and_exit NATS "$NATS_SERVER_BIN -a 127.0.0.1 -p 4222 -js &"
    say "starting NATS with JetStream"
    mkdir -p /var/lib/nats-server
    start-stop-daemon --start --oknodo --background --exec "$NATS_SERVER_BIN" -- \
      -a 127.0.0.1 -p 4222 -js -sd /var/lib/nats-server -l /var/log/nats-server.log
  fi
}

install_missing
start_stopped
for _ in $(seq 1 50); do port_open 5432 && port_open 4222 && exit 0; sleep 0.2; done
say "PostgreSQL or NATS did not come up (logs: /var/log/postgresql/, /var/log/nats-server.log)"
exit 1
