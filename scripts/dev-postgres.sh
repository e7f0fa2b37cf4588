#!/usr/bin/env bash
# Starts a local PostgreSQL for Keyshift's tests, on 127.0.0.1 only, and prints the line to use it:
#   eval "$(scripts/dev-postgres.sh)"    # exports KEYSHIFT_TEST_DATABASE_URL
# Debian/Ubuntu: installs the postgresql package when no server is installed, starts (or creates)
# the cluster "main" of the newest installed major version, and creates the role `keyshift`
# (LOGIN CREATEDB). Safe to run again. Progress goes to stderr; stdout is only the export line.
# Settings: KEYSHIFT_PG_PASSWORD (default keyshift-dev).
set -euo pipefail

role=keyshift
password=${KEYSHIFT_PG_PASSWORD:-keyshift-dev}
cluster=main

log() { echo "dev-postgres: $*" >&2; }

# stdout is kept for the export line alone: everything the tools print (pg_ctlcluster says
# "Removed stale pid file." after an unclean stop, apt-get and psql chatter) goes to stderr, since
# set_up runs with stdout sent to stderr. Its commands must not inherit the caller's stdout in any
# form: a PostgreSQL server started from here would keep the pipe of "$(…)" open for as long as it
# runs, and the caller would wait forever. (Bash closes its saved copy of stdout on exec.)
set_up() {
  # as_postgres runs a command as the postgres OS user, from a folder that user may enter.
  if [ "$(id -u)" -eq 0 ]; then
    sudo=()
    as_postgres() { (cd / && runuser -u postgres -- "$@"); }
  else
    sudo=(sudo)
    as_postgres() { (cd / && sudo -u postgres -- "$@"); }
  fi

  # The newest major version with a server binary (/usr/lib/postgresql/<version>/bin/postgres), or nothing.
  newest_version() {
    { ls -d /usr/lib/postgresql/*/bin/postgres 2>/dev/null || true; } | awk -F/ '{ print $5 }' | sort -n | tail -n 1
  }

  version=$(newest_version)
  if [ -z "$version" ] || ! command -v pg_ctlcluster >/dev/null; then
    log "installing PostgreSQL (apt-get)"
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
    version=$(newest_version)
  fi
  [ -n "$version" ] || { log "no PostgreSQL server found after installing"; exit 1; }

  # pg_lsclusters -h: version cluster port status owner datadir logfile
  cluster_field() { pg_lsclusters -h | awk -v v="$version" -v c="$cluster" -v f="$1" '$1 == v && $2 == c { print $f }'; }

  if [ -z "$(cluster_field 1)" ]; then
    log "creating cluster $version/$cluster"
    "${sudo[@]}" pg_createcluster "$version" "$cluster" >/dev/null
  fi

  # Loopback only: never reachable from another machine. Debian's postgresql.conf reads conf.d/ last.
  echo "listen_addresses = '127.0.0.1'" |
    "${sudo[@]}" tee "/etc/postgresql/$version/$cluster/conf.d/keyshift.conf" >/dev/null
  port=$(cluster_field 3)

  if [ "$(cluster_field 4)" = online ]; then
    listening=$(as_postgres psql -X -At -p "$port" -d postgres -c 'SHOW listen_addresses')
    if [ "$listening" != 127.0.0.1 ]; then
      log "restarting PostgreSQL $version/$cluster to listen on 127.0.0.1 only"
      "${sudo[@]}" pg_ctlcluster "$version" "$cluster" restart
    fi
  else
    log "starting PostgreSQL $version/$cluster on 127.0.0.1:$port"
    "${sudo[@]}" pg_ctlcluster "$version" "$cluster" start
  fi

  for _ in $(seq 1 30); do
    pg_isready -q -h 127.0.0.1 -p "$port" && break
    sleep 1
  done
  pg_isready -q -h 127.0.0.1 -p "$port" || { log "PostgreSQL did not accept connections on port $port"; exit 1; }

  # psql quotes the variables (%I, %L), whatever the password holds.
  as_postgres psql -X -q -v ON_ERROR_STOP=1 -v role="$role" -v password="$password" -p "$port" -d postgres <<'SQL'
SELECT format('CREATE ROLE %I', :'role') WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'role')
\gexec
SELECT format('ALTER ROLE %I LOGIN CREATEDB PASSWORD %L', :'role', :'password')
\gexec
SQL
  log "role $role ready (LOGIN CREATEDB)"
}

set_up </dev/null >&2
echo "export KEYSHIFT_TEST_DATABASE_URL=postgres://$role:$password@127.0.0.1:$port/postgres"
