#!/usr/bin/env bash
# Backup and restore round trip: pg_dump -Fc a database, pg_restore it into a fresh database,
# then compare the row count of every table and the portfolio export (export_portfolio) before and after.
# Exit status 1 when anything differs. Loopback only.
#
# Usage: scripts/backup_roundtrip.sh [DATABASE]   (default betatracker_load)
#   PGHOST (127.0.0.1), PGPORT (5432), PGUSER (postgres) tell where the database lives.
set -euo pipefail
cd "$(dirname "$0")/.."

DB="${1:-betatracker_load}"
RESTORED="${DB}_restored"
export PGHOST="${PGHOST:-127.0.0.1}" PGPORT="${PGPORT:-5432}" PGUSER="${PGUSER:-postgres}"
case "$PGHOST" in 127.*|localhost|::1) ;; *) echo "refusing $PGHOST: loopback only" >&2; exit 2 ;; esac
PY="${PY:-.venv/bin/python}"; [ -x "$PY" ] || PY=python3
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"; dropdb --if-exists "$RESTORED" 2>/dev/null || true' EXIT

counts() {
  psql -d "$1" -At -F ' ' -c "
    select table_name,
           (xpath('/row/c/text()', query_to_xml(format('select count(*) as c from public.%I', table_name), false, true, '')))[1]::text
    from information_schema.tables
    where table_schema = 'public' and table_type = 'BASE TABLE'
    order by table_name"
}

export_of() {
  # The portfolio as JSON, read through the app (so through the ORM and its models).
  DATABASE_URL="postgres://$PGUSER@$PGHOST:$PGPORT/$1" "$PY" manage.py export_portfolio
}

echo "== pg_dump -Fc $DB"
start=$(date +%s%N)
pg_dump -Fc -f "$WORK/$DB.dump" "$DB"
echo "   $(du -h "$WORK/$DB.dump" | cut -f1) in $(( ($(date +%s%N) - start) / 1000000 )) ms"

echo "== pg_restore into $RESTORED"
dropdb --if-exists "$RESTORED"
createdb "$RESTORED"
start=$(date +%s%N)
pg_restore --no-owner --exit-on-error -d "$RESTORED" "$WORK/$DB.dump"
echo "   restored in $(( ($(date +%s%N) - start) / 1000000 )) ms"

echo "== row counts of every table"
counts "$DB" > "$WORK/before.counts"
counts "$RESTORED" > "$WORK/after.counts"
tables=$(wc -l < "$WORK/before.counts")
rows=$(awk '{s += $2} END {print s}' "$WORK/before.counts")
if diff -u "$WORK/before.counts" "$WORK/after.counts"; then
  echo "   $tables tables, $rows rows: identical"
else
  echo "   row counts differ" >&2; exit 1
fi
awk '$2 > 0 {printf "   %-45s %8d\n", $1, $2}' "$WORK/before.counts" | sort -k2 -n -r | head -8

what="export_portfolio"
echo "== $what, before and after"
export_of "$DB" > "$WORK/before.json"
export_of "$RESTORED" > "$WORK/after.json"
if cmp -s "$WORK/before.json" "$WORK/after.json"; then
  echo "   identical: $(wc -c < "$WORK/before.json") bytes, sha256 $(sha256sum "$WORK/before.json" | cut -c1-16)…"
else
  diff <(head -c 2000 "$WORK/before.json") <(head -c 2000 "$WORK/after.json") || true
  echo "   the export differs after the restore" >&2; exit 1
fi
echo "== round trip: nothing lost"
