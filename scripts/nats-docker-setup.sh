#!/usr/bin/env bash
# Makes what docker-compose's NATS needs, in deploy/nats/secrets/ (gitignored, folder 0700):
# a CA and a server certificate for TLS between the services and NATS (openssl), the network's
# NATS keys (kept if present: re-running keeps every credential valid), nats-server.conf, one
# <service>.creds per service and partner-issuer.json (the notifications service's: it signs partners'
# NATS users and pushes their revocations). Rotate a service's credentials with
#   bash scripts/nats-docker-setup.sh --rotate referral   (or --rotate all)
# then `docker compose up -d --force-recreate nats referral` (the old credentials are revoked).
set -euo pipefail
cd "$(dirname "$0")/.."
dir=deploy/nats/secrets
mkdir -p "$dir" && chmod 700 "$dir"

if [ ! -f "$dir/server.crt" ]; then
  echo "creating a CA and the NATS server certificate in $dir"
  openssl req -x509 -newkey rsa:3072 -nodes -days 825 -subj "/CN=No Wrong Door NATS CA" \
    -keyout "$dir/ca.key" -out "$dir/ca.crt" 2>/dev/null
  openssl req -newkey rsa:3072 -nodes -subj "/CN=nats" -keyout "$dir/server.key" -out "$dir/server.csr" 2>/dev/null
  printf 'subjectAltName=DNS:nats,DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n' > "$dir/server.ext"
  openssl x509 -req -in "$dir/server.csr" -CA "$dir/ca.crt" -CAkey "$dir/ca.key" -CAcreateserial \
    -days 825 -extfile "$dir/server.ext" -out "$dir/server.crt" 2>/dev/null
  rm -f "$dir/server.csr" "$dir/server.ext"
  chmod 600 "$dir/ca.key"
  # Read inside the nats container; the folder itself stays 0700 on this host.
  chmod 644 "$dir/server.key" "$dir/server.crt" "$dir/ca.crt"
fi

# Paths as the nats container sees them (docker-compose.yml mounts the folder at /etc/nats/secrets).
npm run -s nats:credentials -- --dir "$dir" --host 0.0.0.0 --port 4222 --monitor-port 8222 --store-dir /data \
  --tls-cert /etc/nats/secrets/server.crt --tls-key /etc/nats/secrets/server.key "$@" >/dev/null
echo "NATS configuration and credentials written to $dir"
