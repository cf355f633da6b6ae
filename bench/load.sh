#!/bin/sh
# Benchmark (not a test): requests per second of the signed-in sheet editor against a hello-world
# view of the same server, under wrk.
#
#     bench/load.sh            # PGURL=postgres://postgres@127.0.0.1:5432 DURATION=30 CITIES=1000 PORT=8765
#
# The production stack on this machine: the production settings (DEBUG off, whitenoise with
# collected static files, HTTPS=0 because there is no TLS proxy in front), gunicorn with
# gunicorn.conf.py and 2 workers, PostgreSQL. It creates a scratch database `mega_bench_load` on
# the server of PGURL (dropped at the end), migrates, loads the seed and 1,000 cities × 4 sheets ×
# 3 respondents (tests/cohort.py), signs an officer in (a session row, its cookie passed to wrk),
# then runs wrk (1 thread, 4 connections, DURATION seconds, only against 127.0.0.1) against:
#
# - the sheet editor of the officer's largest sheet (29 statements × 3 respondents), and
# - /healthz, the hello-world: the same middleware stack, one `SELECT 1`, a small JSON answer.
#
# and prints both rates and their ratio. Target (issue 7): sheet ≥ 40 % of hello-world. For scale it
# also measures a small ordinary signed-in page, the password form (session, user, the site's layout
# and one three-field form), as a share of the hello-world.
set -eu
cd "$(dirname "$0")/.."
PY=.venv/bin/python
PGURL=${PGURL:-postgres://postgres@127.0.0.1:5432}
DB=mega_bench_load
PORT=${PORT:-8765}
DURATION=${DURATION:-30}
CITIES=${CITIES:-1000}
WORK=$(mktemp -d)
GUNICORN_PID=

command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install wrk)" >&2; exit 1; }

psql_admin() { psql -q -X -v ON_ERROR_STOP=1 "$PGURL/postgres" -c "$1" >/dev/null; }

cleanup() {
    if [ -n "$GUNICORN_PID" ]; then
        kill "$GUNICORN_PID" 2>/dev/null || true
        wait "$GUNICORN_PID" 2>/dev/null || true
    fi
    psql_admin "DROP DATABASE IF EXISTS $DB" || true
    rm -rf "$WORK"
}
trap cleanup EXIT INT TERM

psql_admin "DROP DATABASE IF EXISTS $DB"
psql_admin "CREATE DATABASE $DB"

export DATABASE_URL="$PGURL/$DB" DEBUG=0 HTTPS=0 SECRET_KEY=bench-load-not-secret-$(date +%s)-xxxxxxxxxxxxxxxxxxxxxxxxxxxx \
    ALLOWED_HOSTS=127.0.0.1 CACHE_DIR="$WORK/cache" LOG_LEVEL=ERROR DJANGO_SETTINGS_MODULE=mega.settings

$PY manage.py collectstatic --noinput -v0
$PY manage.py migrate --noinput -v0
$PY manage.py loaddata -v0 stakeholder_types topics checklists milan-2018 oecd-module6

# The cohort, an officer of one city signed in: prints "<session key> <sheet id>".
$PY - "$CITIES" > "$WORK/setup" <<'EOF'
import sys

import django

django.setup()
from django.db import connection
from django.test import Client

sys.path.insert(0, "bench")
from pages import build, sheet_of  # noqa: E402

city, users, seconds = build(int(sys.argv[1]))
with connection.cursor() as cursor:
    cursor.execute("ANALYZE")
client = Client()
client.force_login(users["officer"])
print(client.cookies["sessionid"].value, sheet_of(city, "municipality").pk)
sys.stderr.write(f"built {sys.argv[1]} cities in {seconds:.1f} s\n")
EOF
read -r SESSION SHEET < "$WORK/setup"

.venv/bin/gunicorn -c gunicorn.conf.py --workers 2 --bind "127.0.0.1:$PORT" --access-logfile "$WORK/access.log" \
    --error-logfile "$WORK/error.log" mega.wsgi &
GUNICORN_PID=$!
for _ in $(seq 50); do
    curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && break
    sleep 0.2
done

SHEET_URL="http://127.0.0.1:$PORT/sheets/$SHEET/"
HELLO_URL="http://127.0.0.1:$PORT/healthz"
SMALL_URL="http://127.0.0.1:$PORT$($PY -c 'import django; django.setup(); from django.urls import reverse; print(reverse("password_change"))')"
STATUS=$(curl -s -o "$WORK/sheet.html" -w "%{http_code}" -H "Cookie: sessionid=$SESSION" "$SHEET_URL")
[ "$STATUS" = 200 ] && grep -q 'id="sheet-form"' "$WORK/sheet.html" || {
    echo "the signed-in sheet editor answered $STATUS, not the editor" >&2; exit 1; }
echo "sheet editor: $(wc -c < "$WORK/sheet.html") bytes, $(grep -c 'type="radio"' "$WORK/sheet.html") radio buttons"
echo "load average before: $(cut -d' ' -f1 /proc/loadavg) ($(nproc) CPUs)"

rate() {  # url [header]: requests/s of a wrk run; fails on any non-2xx answer
    wrk -t1 -c4 -d"${DURATION}s" --latency ${2:+-H "$2"} "$1" > "$WORK/wrk.out"
    if grep -q "Non-2xx" "$WORK/wrk.out"; then cat "$WORK/wrk.out" >&2; echo "non-2xx answers" >&2; exit 1; fi
    sed -n 's/^Requests\/sec: *//p' "$WORK/wrk.out"
}

SHEET_RATE=$(rate "$SHEET_URL" "Cookie: sessionid=$SESSION")
grep -E "^ +(50|99)%" "$WORK/wrk.out" | sed 's/^ */  sheet editor latency /'
HELLO_RATE=$(rate "$HELLO_URL")
grep -E "^ +(50|99)%" "$WORK/wrk.out" | sed 's/^ */  healthz latency /'
# For scale: a small ordinary signed-in page.
SMALL_RATE=$(rate "$SMALL_URL" "Cookie: sessionid=$SESSION")
grep -E "^ +(50|99)%" "$WORK/wrk.out" | sed 's/^ */  password page latency /'
echo "load average after: $(cut -d' ' -f1 /proc/loadavg)"
share() { $PY -c "import sys; print(f'{100 * float(sys.argv[1]) / float(sys.argv[2]):.1f} %')" "$1" "$HELLO_RATE"; }
echo "/healthz (hello-world):                   $HELLO_RATE requests/s"
echo "sheet editor (signed in):                 $SHEET_RATE requests/s = $(share "$SHEET_RATE") of hello-world (target >= 40 %)"
echo "password page (signed in, small form):    $SMALL_RATE requests/s = $(share "$SMALL_RATE")"
