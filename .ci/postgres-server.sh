#!/usr/bin/env bash
# Starts Debian's PostgreSQL server for the tests that also run on one (installed when missing: a
# session's servers do not outlive it) and prints the DATABASE_URL of a database made for them.
set -euo pipefail
if ! command -v pg_ctlcluster >/dev/null 2>&1 || ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
  apt-get update >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y postgresql >&2
fi
version="$(ls /usr/lib/postgresql | sort -n | tail -1)"
pg_lsclusters -h | grep -q "^$version main" || pg_createcluster "$version" main >&2
pg_ctlcluster "$version" main start >&2 || pg_lsclusters -h | grep -q "^$version main .* online"
runuser -u postgres -- psql -q -v ON_ERROR_STOP=1 -c "DO \$\$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'sync_patterns') THEN CREATE ROLE sync_patterns LOGIN SUPERUSER PASSWORD 'sync_patterns'; END IF; END \$\$;" >&2
runuser -u postgres -- psql -qtA -c "SELECT 1 FROM pg_database WHERE datname = 'sync_patterns'" | grep -q 1 || runuser -u postgres -- createdb -O sync_patterns sync_patterns >&2
port="$(pg_lsclusters -h | awk -v v="$version" '$1 == v && $2 == "main" { print $3 }')"
echo "postgres://sync_patterns:sync_patterns@127.0.0.1:${port}/sync_patterns"
