#!/usr/bin/env bash
# Start a local PostgreSQL for the store tests (run as root on Debian 12).
#
#   eval "$(bash scripts/ci_postgres.sh)"   # sets BAOCAO_TEST_PG_URL
#
# Installs Debian's `postgresql` if missing, starts the newest installed cluster,
# creates the role and the test database (idempotent: safe to run again), waits
# until the server accepts password logins over TCP, and prints ONE line on
# stdout: the `export BAOCAO_TEST_PG_URL=...` for the caller to eval.
# Everything else goes to stderr so that eval sees only that line.
set -euo pipefail

PG_USER="${BAOCAO_PG_USER:-baocao}"
PG_PASSWORD="${BAOCAO_PG_PASSWORD:-baocao}"
PG_DB="${BAOCAO_PG_DB:-baocao_test}"
PG_HOST=127.0.0.1
WAIT_SECONDS="${BAOCAO_PG_WAIT:-60}"
# BAOCAO_PG_FRESH=1 drops the database first, so a run starts from an empty store
# (CI: a database left behind by another checkout may be at a newer schema).
PG_FRESH="${BAOCAO_PG_FRESH:-0}"

log() { echo "ci_postgres: $*" >&2; }

if ! compgen -G "/usr/lib/postgresql/*/bin/postgres" >/dev/null; then
  log "installing postgresql from Debian packages"
  apt-get update >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y postgresql >&2
fi

# Newest installed server version (15 on Debian 12).
PG_VERSION="$(ls /usr/lib/postgresql | sort -V | tail -n 1)"
log "postgresql ${PG_VERSION}"

# A container may have the binaries without a cluster (e.g. after a purge).
if ! pg_lsclusters -h | awk -v v="$PG_VERSION" '$1 == v && $2 == "main"' | grep -q .; then
  log "creating cluster ${PG_VERSION}/main"
  pg_createcluster "$PG_VERSION" main >&2
fi

cluster_field() { pg_lsclusters -h | awk -v v="$PG_VERSION" -v col="$1" '$1 == v && $2 == "main" {print $col}'; }

if [ "$(cluster_field 4)" != "online" ]; then
  log "starting cluster ${PG_VERSION}/main"
  # exit code 2 = already running (a concurrent start won the race): fine.
  pg_ctlcluster "$PG_VERSION" main start >&2 || [ $? -eq 2 ]
fi
PG_PORT="$(cluster_field 3)"

for _ in $(seq "$WAIT_SECONDS"); do
  pg_isready -q -h "$PG_HOST" -p "$PG_PORT" && break
  sleep 1
done
pg_isready -h "$PG_HOST" -p "$PG_PORT" >&2 || { log "server not ready after ${WAIT_SECONDS}s"; exit 1; }

as_postgres() { runuser -u postgres -- psql -X -q -v ON_ERROR_STOP=1 -p "$PG_PORT" "$@"; }

# Role: created once, password (re)set every time so the printed URL always works.
as_postgres -v user="$PG_USER" -v pw="$PG_PASSWORD" >&2 <<'SQL'
SELECT format('CREATE ROLE %I LOGIN', :'user')
WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'user') \gexec
ALTER ROLE :"user" WITH LOGIN PASSWORD :'pw';
SQL

if [ "$PG_FRESH" = "1" ]; then
  log "dropping database ${PG_DB} for a fresh start"
  as_postgres -v db="$PG_DB" >&2 <<'SQL'
DROP DATABASE IF EXISTS :"db" WITH (FORCE);
SQL
fi

# Database owned by the role, so tests can create and drop their own schemas.
as_postgres -v user="$PG_USER" -v db="$PG_DB" >&2 <<'SQL'
SELECT format('CREATE DATABASE %I OWNER %I', :'db', :'user')
WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = :'db') \gexec
SQL

# Check the login the tests will use (TCP + password, as in pg_hba.conf).
PGPASSWORD="$PG_PASSWORD" psql -X -q -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -d "$PG_DB" -c "SELECT 1" >/dev/null

echo "export BAOCAO_TEST_PG_URL=postgresql://${PG_USER}:${PG_PASSWORD}@${PG_HOST}:${PG_PORT}/${PG_DB}"
