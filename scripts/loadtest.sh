#!/usr/bin/env bash
# make loadtest — the app under gunicorn (production settings) on PostgreSQL with a generated
# portfolio, driven by locust headless from a second process: coaches browsing, intrapreneurs
# logging interviews. PostgreSQL is restarted in the middle of the run; the report splits the
# errors during the restart from those outside it (which must be 0). Then a backup/restore
# round trip of the load database. Loopback only (127.0.0.1), bounded in time.
#
# By default PostgreSQL is a private throwaway cluster on 127.0.0.1:5433 (in $LOADTEST_DIR), so
# that restarting it disturbs nobody else's database; LOADTEST_PG=main uses the machine's cluster
# on 5432 and restarts it with pg_ctlcluster (only where nobody else uses it, e.g. a CI machine).
#
# First, capacity (loadtest/steps.py): users added in steps until p95 passes 500 ms or a request fails, for the
# user mix and for /healthz (the machine's ceiling) through the same gunicorn; the saturated throughput of each
# and their ratio. LOADTEST_BASELINE=<commit> does the same, in the same run, on that commit (its own copy of the
# tree, virtual environment, database and port) and prints both side by side.
#
# Knobs: LOADTEST_PORT (8765; refused if busy; the baseline uses the next one), LOADTEST_STARTUPS (1000),
#        LOADTEST_USERS (20), LOADTEST_DURATION (60 s), LOADTEST_RESTART_AT (25 s into the run),
#        LOADTEST_WORKERS (2 gunicorn workers), LOADTEST_THREADS (1 thread per worker),
#        LOADTEST_STEPS (1; 0 skips the capacity steps), LOADTEST_STEP_USERS ("1 2 4 8 16 32 64"),
#        LOADTEST_STEP_SECONDS (20), LOADTEST_BASELINE (a commit, e.g. 96edab3),
#        LOADTEST_INSTANCES (2 gunicorn instances for the run with the restart, on ports PORT, PORT+2…).
#
# Scale-out: the run with the restart spreads every user's requests over LOADTEST_INSTANCES instances of the app
# over the one PostgreSQL (a page read on one, its form posted to another); first, a person signs in on the
# first instance, the session is used on each of the others, and signing out on the last ends it everywhere.
set -euo pipefail
cd "$(dirname "$0")/.."

PY="${PY:-.venv/bin/python}"; [ -x "$PY" ] || PY=python3
BIN="$(dirname "$PY")"
HOST=127.0.0.1
PORT="${LOADTEST_PORT:-8765}"
DB=betatracker_load
STARTUPS="${LOADTEST_STARTUPS:-1000}"
USERS="${LOADTEST_USERS:-20}"
DURATION="${LOADTEST_DURATION:-60}"
RESTART_AT="${LOADTEST_RESTART_AT:-25}"
WORKERS="${LOADTEST_WORKERS:-2}"
THREADS="${LOADTEST_THREADS:-1}"
STEPS="${LOADTEST_STEPS:-1}"
BASELINE="${LOADTEST_BASELINE:-}"
INSTANCES="${LOADTEST_INSTANCES:-2}"
MODE="${LOADTEST_PG:-private}"
WORK="${LOADTEST_DIR:-/tmp/betatracker-loadtest}"
PGBIN="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)"
mkdir -p "$WORK"
rm -f "$WORK"/locust_* "$WORK/requests.csv" "$WORK/restart"

as_postgres() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

if [ "$MODE" = private ]; then
  export PGPORT=5433
  PGDATA_DIR="$WORK/pg"
  PG_OPTS="-p $PGPORT -c listen_addresses=$HOST -k $PGDATA_DIR -c max_connections=50"
  mkdir -p "$PGDATA_DIR"
  [ "$(id -u)" = 0 ] && chown postgres "$PGDATA_DIR"
  if [ ! -f "$PGDATA_DIR/data/PG_VERSION" ]; then
    as_postgres "$PGBIN/initdb" -D "$PGDATA_DIR/data" -A trust -U postgres >/dev/null
  fi
  pg_start() { as_postgres "$PGBIN/pg_ctl" -D "$PGDATA_DIR/data" -l "$PGDATA_DIR/log" -o "$PG_OPTS" -w start >/dev/null; }
  pg_restart() { as_postgres "$PGBIN/pg_ctl" -D "$PGDATA_DIR/data" -l "$PGDATA_DIR/log" -o "$PG_OPTS" -m fast -w restart >/dev/null; }
  pg_stop() { as_postgres "$PGBIN/pg_ctl" -D "$PGDATA_DIR/data" -m fast -w stop >/dev/null 2>&1 || true; }
  pg_start
  echo "== private PostgreSQL cluster on $HOST:$PGPORT ($PGDATA_DIR)"
else
  export PGPORT=5432
  CLUSTER_VERSION="$(ls /etc/postgresql | sort -V | tail -1)"
  pg_restart() { pg_ctlcluster --skip-systemctl-redirect "$CLUSTER_VERSION" main restart; }
  pg_stop() { :; }
  echo "== the machine's PostgreSQL $CLUSTER_VERSION on $HOST:$PGPORT (it will be restarted)"
fi
export PGHOST=$HOST PGUSER=postgres

GUNICORN_PID=""
BASE_PID=""
EXTRA_PIDS=""
cleanup() {
  [ -n "$GUNICORN_PID" ] && kill "$GUNICORN_PID" 2>/dev/null && wait "$GUNICORN_PID" 2>/dev/null || true
  for pid in $EXTRA_PIDS; do kill "$pid" 2>/dev/null || true; done
  [ -n "$BASE_PID" ] && kill "$BASE_PID" 2>/dev/null && wait "$BASE_PID" 2>/dev/null || true
  pg_stop
}
trap cleanup EXIT

export DJANGO_SETTINGS_MODULE=betatracker.settings.production
export SECRET_KEY="loadtest-$(head -c 48 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')-not-a-real-key"
export ALLOWED_HOSTS="$HOST,localhost"
export SECURE_SSL_REDIRECT=0
export CONN_MAX_AGE="${CONN_MAX_AGE:-60}"  # persistent connections: the restart leaves them stale
export DATABASE_URL="postgres://postgres@$HOST:$PGPORT/$DB"
export LOG_LEVEL=WARNING
export STATIC_ROOT="$WORK/static"  # not the work tree's staticfiles/, which WhiteNoise would scan in every test

echo "== fresh database $DB"
dropdb --if-exists "$DB"
createdb "$DB"
"$PY" manage.py migrate --noinput -v 0
echo "== portfolio: manage.py generate_portfolio --startups $STARTUPS"
"$PY" manage.py generate_portfolio --startups "$STARTUPS"
"$PY" manage.py collectstatic --noinput -v 0
"$PY" loadtest/prepare.py "$WORK/plan.json" 10 10

if curl -s -o /dev/null "http://$HOST:$PORT/"; then
  echo "port $PORT is already served by another process: set LOADTEST_PORT to a free port" >&2
  exit 2
fi
# serve BIN PORT LOG [ACCESS_LOG]: gunicorn (production settings) in the background, from the current directory;
# waits for /healthz and prints its pid.
serve() {
  "$1/gunicorn" betatracker.wsgi:application --bind "$HOST:$2" --workers "$WORKERS" --threads "$THREADS" \
    --log-level warning --access-logfile "${4:-/dev/null}" > "$3" 2>&1 &
  local pid=$!
  for _ in $(seq 1 60); do
    curl -sf -o /dev/null "http://$HOST:$2/healthz" && break
    sleep 0.5
  done
  kill -0 "$pid" 2>/dev/null || { echo "gunicorn did not start:" >&2; tail -5 "$3" >&2; exit 2; }
  echo "$pid"
}
# steps LABEL PORT PLAN: the capacity steps of the user mix, then of /healthz; appends the knees to $WORK/knees.
steps() {
  "$PY" loadtest/steps.py "$1" "http://$HOST:$2" "$3" "$WORK/steps" Coach Intrapreneur | tee -a "$WORK/steps.out"
  "$PY" loadtest/steps.py "$1-healthz" "http://$HOST:$2" "$3" "$WORK/steps" Healthz | tee -a "$WORK/steps.out"
}

echo "== gunicorn on $HOST:$PORT ($WORKERS workers × $THREADS threads, production settings)"
GUNICORN_PID=$(serve "$BIN" "$PORT" "$WORK/gunicorn.log")
[[ "$GUNICORN_PID" =~ ^[0-9]+$ ]] || exit 2

if [ "$STEPS" != 0 ]; then
  rm -rf "$WORK/steps" "$WORK/steps.out"
  echo "== capacity steps: $(git rev-parse --short HEAD)$( [ -n "$(git status --porcelain)" ] && echo ' (with uncommitted changes)')"
  steps current "$PORT" "$WORK/plan.json"
  if [ -n "$BASELINE" ]; then
    BASE_PORT=$((PORT + 1))
    BASE_DIR="$WORK/baseline-$(git rev-parse --short "$BASELINE")"
    echo "== baseline $BASELINE: its tree in $BASE_DIR, its own virtual environment, database and port $BASE_PORT"
    if [ ! -f "$BASE_DIR/manage.py" ]; then
      mkdir -p "$BASE_DIR" && git archive "$BASELINE" | tar -x -C "$BASE_DIR"
    fi
    if [ ! -x "$BASE_DIR/.venv/bin/gunicorn" ]; then
      "$PY" -m venv --clear "$BASE_DIR/.venv"
      "$BASE_DIR/.venv/bin/pip" install --quiet -r "$BASE_DIR/requirements.txt" > "$WORK/baseline-pip.log" 2>&1 \
        || { echo "installing the baseline's requirements failed: $WORK/baseline-pip.log" >&2; exit 2; }
    fi
    dropdb --if-exists "${DB}_baseline"
    createdb "${DB}_baseline"
    (
      cd "$BASE_DIR"
      export DATABASE_URL="postgres://postgres@$HOST:$PGPORT/${DB}_baseline" STATIC_ROOT="$WORK/static-baseline"
      .venv/bin/python manage.py migrate --noinput -v 0
      .venv/bin/python manage.py generate_portfolio --startups "$STARTUPS" > /dev/null
      .venv/bin/python manage.py collectstatic --noinput -v 0
      .venv/bin/python loadtest/prepare.py "$WORK/plan-baseline.json" 10 10
    )
    BASE_PID=$(cd "$BASE_DIR" && DATABASE_URL="postgres://postgres@$HOST:$PGPORT/${DB}_baseline" \
      STATIC_ROOT="$WORK/static-baseline" serve "$BASE_DIR/.venv/bin" "$BASE_PORT" "$WORK/gunicorn-baseline.log")
    [[ "$BASE_PID" =~ ^[0-9]+$ ]] || exit 2
    steps baseline "$BASE_PORT" "$WORK/plan-baseline.json"
    kill "$BASE_PID" 2>/dev/null && wait "$BASE_PID" 2>/dev/null || true
    BASE_PID=""
  fi
  echo "== saturated throughput (req/s at the knee: p95 <= ${LOADTEST_P95_MS:-500} ms, no error)"
  "$PY" - "$WORK/steps.out" <<'PY'
import sys
knees = {}
for line in open(sys.argv[1], encoding="utf-8"):
    if line.startswith("knee "):
        _knee, label, rps, users = line.split()
        knees[label] = (float(rps), int(users))
print(f"{'':<10}{'user mix':>16}{'/healthz':>16}{'mix / healthz':>15}")
for label in ("current", "baseline"):
    if label in knees:
        mix, health = knees[label], knees.get(f"{label}-healthz", (0.0, 0))
        ratio = f"{mix[0] / health[0]:.2f}" if health[0] else "-"
        print(f"{label:<10}{mix[0]:>9.1f} ({mix[1]:>3} u){health[0]:>9.1f} ({health[1]:>3} u){ratio:>15}")
if "current" in knees and "baseline" in knees and knees["baseline"][0]:
    print(f"user mix, current / baseline: {knees['current'][0] / knees['baseline'][0]:.2f}x")
PY
fi

# The instances of the run with the restart: the one above (its access log restarted) and INSTANCES - 1 more.
kill "$GUNICORN_PID" 2>/dev/null || true
for _ in $(seq 1 150); do curl -s -o /dev/null "http://$HOST:$PORT/healthz" || break; sleep 0.2; done
rm -f "$WORK"/access-*.log
GUNICORN_PID=$(serve "$BIN" "$PORT" "$WORK/gunicorn.log" "$WORK/access-$PORT.log")
[[ "$GUNICORN_PID" =~ ^[0-9]+$ ]] || exit 2
URLS="http://$HOST:$PORT"
for i in $(seq 2 "$INSTANCES"); do
  extra_port=$((PORT + 2 * (i - 1)))
  pid=$(serve "$BIN" "$extra_port" "$WORK/gunicorn-$extra_port.log" "$WORK/access-$extra_port.log")
  [[ "$pid" =~ ^[0-9]+$ ]] || exit 2
  EXTRA_PIDS="$EXTRA_PIDS $pid"
  URLS="$URLS http://$HOST:$extra_port"
done
echo "== $INSTANCES instance(s) over one PostgreSQL: $URLS"
status=0
"$PY" loadtest/instances.py "$WORK/plan.json" $URLS || status=1

interviews() { psql -d "$DB" -At -c "select count(*) from investigations_interview"; }
interviews_before=$(interviews)
echo "== locust: $USERS users, ${DURATION} s; PostgreSQL restarted at ${RESTART_AT} s"
LOADTEST_PLAN="$WORK/plan.json" LOADTEST_LOG="$WORK/requests.csv" LOADTEST_HOSTS="$URLS" \
  "$BIN/locust" -f loadtest/locustfile.py --headless -u "$USERS" -r 5 -t "${DURATION}s" \
  --host "http://$HOST:$PORT" --csv "$WORK/locust" --stop-timeout 15 --only-summary --loglevel WARNING Coach Intrapreneur \
  > "$WORK/locust.out" 2>&1 &
LOCUST_PID=$!
sleep "$RESTART_AT"
begin=$(date +%s.%N)
pg_restart
until pg_isready -q -h "$HOST" -p "$PGPORT"; do sleep 0.1; done
end=$(date +%s.%N)
echo "$begin $end" > "$WORK/restart"
wait "$LOCUST_PID" || true  # locust exits 1 when any request failed: the report below decides

echo "== results"
for log in "$WORK"/access-*.log; do
  echo "instance ${log##*/access-}: $(wc -l < "$log") requests served"
done
"$PY" loadtest/report.py "$WORK/locust" "$WORK/requests.csv" "$WORK/restart" || status=1
# Every interview the server said it saved (302) is in the database, and no failed one half-landed.
saved=$(awk -F, '$4 == "interview POST" && ($5 == 302 || $5 == 303)' "$WORK/requests.csv" | wc -l)
added=$(( $(interviews) - interviews_before ))
echo "interviews: $saved saved by the intrapreneurs (HTTP 302), $added new rows in the database"
[ "$saved" -eq "$added" ] || { echo "   the saved interviews and the new rows differ" >&2; status=1; }
server_errors=$(cat "$WORK"/gunicorn*.log | grep -c "Internal Server Error\|Traceback" || true)
echo "server logs: $server_errors error trace(s) in $WORK/gunicorn*.log"

kill "$GUNICORN_PID" 2>/dev/null && wait "$GUNICORN_PID" 2>/dev/null || true
GUNICORN_PID=""
for pid in $EXTRA_PIDS; do kill "$pid" 2>/dev/null || true; done
EXTRA_PIDS=""

echo "== backup / restore round trip of $DB"
scripts/backup_roundtrip.sh "$DB" || status=1
exit $status
