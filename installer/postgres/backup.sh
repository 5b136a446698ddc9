#!/usr/bin/env bash
# OneStop's nightly backup: one pg_dump file (custom format) per run, old ones deleted.
#
#   sudo -u postgres bash installer/postgres/backup.sh [FOLDER]
#
# From cron on the database server, as the postgres user, e.g. at 02:30 every night:
#   30 2 * * *  bash /opt/onestop/installer/postgres/backup.sh >>/var/log/onestop-backup.log 2>&1
#
# Settings (environment):
#   ONESTOP_DB_NAME       the database (default: onestop)
#   ONESTOP_BACKUP_DIR    where the files go when FOLDER is not given
#                         (default: /var/backups/onestop); only its owner can read it
#   ONESTOP_BACKUP_DAYS   files older than this many days are deleted (default: 30)
#   PG_DUMP               the pg_dump program (default: pg_dump)
#   PGHOST, PGPORT, PGUSER...   where the server is, as for psql
#
# A file is complete or absent: it is written under a temporary name and renamed at
# the end. docs/deploy.md says how to restore one (and tests/integration/test_roles.py
# does, every run of the suite).

set -euo pipefail

db=${ONESTOP_DB_NAME:-onestop}
folder=${1:-${ONESTOP_BACKUP_DIR:-/var/backups/onestop}}
keep=${ONESTOP_BACKUP_DAYS:-30}
pg_dump=${PG_DUMP:-pg_dump}

[[ $db =~ ^[a-z_][a-z0-9_]{0,62}$ ]] || { echo "backup.sh: error: bad database name '$db'" >&2; exit 2; }
[[ $keep =~ ^[0-9]+$ ]] || { echo "backup.sh: error: ONESTOP_BACKUP_DAYS must be a number of days" >&2; exit 2; }

umask 077
mkdir -p "$folder"
file="$folder/$db-$(date -u +%Y%m%dT%H%M%SZ).dump"
trap 'rm -f "$file.partial"' EXIT
"$pg_dump" --format=custom --dbname="$db" --file="$file.partial"
mv "$file.partial" "$file"
find "$folder" -maxdepth 1 -name "$db-*.dump" -mtime +"$keep" -delete
echo "$file"
