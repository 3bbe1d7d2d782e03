#!/bin/sh
# Makes sure a PostgreSQL answers on 127.0.0.1:5432: starts the local cluster if it is down,
# installs PostgreSQL (Debian) if it is missing, then waits until it accepts connections.
# Idempotent: does nothing when PostgreSQL already answers.
#   POSTGRES_WAIT_SECONDS  how long to wait for the server to accept connections (default 60)
set -eu

host=127.0.0.1
port=5432
wait_seconds="${POSTGRES_WAIT_SECONDS:-60}"

log() { printf '%s\n' "ensure-postgres: $*" >&2; }
fail() {
  log "ERROR: $*"
  exit 1
}

# Runs a command as root: directly when we are root, through sudo otherwise.
as_root() {
  if [ "$(id -u)" -eq 0 ]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1; then
    sudo -n "$@"
  else
    fail "need root (or sudo) to run: $*"
  fi
}

answers() {
  command -v pg_isready >/dev/null 2>&1 && pg_isready -q -h "$host" -p "$port" >/dev/null 2>&1
}

# The newest installed major version that has a `main` cluster, e.g. 15 (empty if none).
installed_version() {
  [ -d /etc/postgresql ] || return 0
  ls /etc/postgresql | sort -n | while read -r version; do
    [ -f "/etc/postgresql/$version/main/postgresql.conf" ] && printf '%s\n' "$version"
  done | tail -n 1
}

install_postgres() {
  log "PostgreSQL is not installed: installing it with apt-get"
  as_root apt-get update
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y postgresql
  version="$(installed_version)"
  [ -n "$version" ] || fail "apt-get installed postgresql but no cluster exists under /etc/postgresql/*/main"
  # A fresh Debian cluster asks for a password over TCP; this machine's convention (CI, local runs)
  # is trust auth for the postgres user on 127.0.0.1 only.
  hba="/etc/postgresql/$version/main/pg_hba.conf"
  if ! grep -Eq '^host[[:space:]]+all[[:space:]]+all[[:space:]]+127\.0\.0\.1/32[[:space:]]+trust' "$hba"; then
    as_root sed -i '1i host all all 127.0.0.1/32 trust' "$hba"
  fi
}

start_postgres() {
  version="$1"
  log "starting PostgreSQL $version (cluster main)"
  # Exit status 2 means "already running" (e.g. still starting up): the wait below settles it.
  as_root pg_ctlcluster --skip-systemctl-redirect "$version" main start || [ $? -eq 2 ] ||
    fail "pg_ctlcluster could not start PostgreSQL $version; see /var/log/postgresql/postgresql-$version-main.log"
}

if answers; then
  log "PostgreSQL already answers on $host:$port"
  exit 0
fi

version="$(installed_version)"
if [ -z "$version" ] || ! command -v pg_ctlcluster >/dev/null 2>&1; then
  install_postgres
  version="$(installed_version)"
fi
start_postgres "$version"

waited=0
until answers; do
  if [ "$waited" -ge "$wait_seconds" ]; then
    fail "PostgreSQL $version did not accept connections on $host:$port within ${wait_seconds}s;" \
      "see /var/log/postgresql/postgresql-$version-main.log"
  fi
  sleep 1
  waited=$((waited + 1))
done
log "PostgreSQL $version answers on $host:$port"
