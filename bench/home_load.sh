#!/usr/bin/env bash
# The signed-in home page under load, on the large data set (`make bench`; bench/README.md).
#
# 1. bench/generate.py builds (or reuses) the bench database: demo story + big channel.
# 2. gunicorn serves it with production settings (DEBUG=0, manifest static files).
# 3. The ceiling: /bench/bare/ (session and user only, same middleware; routed because
#    BENCH_BARE_VIEW=1) under the same load, before and after the personas.
# 4. For each persona: sign in through the real form, check the cookie opens the home page,
#    then wrk hits / from a separate process; bench/report.lua prints rps and p50/p95/p99.
#    A line per persona reads `BENCH home_<persona> value=<rps> ceiling=<bare rps>
#    ratio=<r> req/s` (goal: ratio >= 0.6, p95 <= 150 ms).
# Everything printed is also kept in bench/results/home-<date>-<time>.txt (git-ignored).
# Exits non-zero when a sign-in fails or any measured response was not 2xx.
set -euo pipefail

cd "$(dirname "$0")/.."
PY=.venv/bin/python
GUNICORN=.venv/bin/gunicorn

export DATABASE_URL="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/touchpoint_bench}"
export DJANGO_SETTINGS_MODULE=touchpoint.settings
# Production-like settings (names read in touchpoint/settings.py). Plain HTTP on loopback,
# so no HTTPS redirect and no Secure cookies, or the session cookie would never come back.
export DEBUG=0
export SECRET_KEY="${SECRET_KEY:-touchpoint-bench-not-a-secret-0123456789-abcdefghijklmnop}"
export ALLOWED_HOSTS=127.0.0.1
export SECURE_SSL_REDIRECT=0
export SECURE_COOKIES=0
export SECURE_HSTS_SECONDS=0
export LOG_LEVEL="${LOG_LEVEL:-WARNING}"
# Routes /bench/bare/, the ceiling home is compared with.
export BENCH_BARE_VIEW=1
# Where generate.py's seed_demo put the demo logo (see there).
export MEDIA_ROOT="${MEDIA_ROOT:-$PWD/bench/results/media}"

PARTNERS="${BENCH_PARTNERS:-1000}"
PEOPLE="${BENCH_PEOPLE:-100000}"
EVENTS="${BENCH_EVENTS:-200000}"
WORKERS="${BENCH_WORKERS:-2}"
PORT="${BENCH_PORT:-8765}"
THREADS="${BENCH_THREADS:-2}"
CONNECTIONS="${BENCH_CONNECTIONS:-16}"
DURATION="${BENCH_DURATION:-30s}"
# One connection, one request at a time: the page's own latency, without queueing.
SERIAL_DURATION="${BENCH_SERIAL_DURATION:-10s}"
WARMUP="${BENCH_WARMUP:-5s}"
# name=email: a rep, a partner admin, a channel manager and the portal admin of the demo.
PERSONAS="${BENCH_PERSONAS:-rep=bob@aldercreek.example partner_admin=alice@aldercreek.example channel_manager=dana@ridgeline.example portal_admin=admin@ridgeline.example}"
PASSWORD="${BENCH_PASSWORD:-ridgeline-demo}"
BASE="http://127.0.0.1:${PORT}"

die() { echo "home_load.sh: $*" >&2; exit 1; }

[ -x "$PY" ] || die "no .venv; run 'make install-dev' first"
if ! command -v wrk >/dev/null; then
    if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
        echo "== wrk is missing: apt-get install -y wrk"
        apt-get install -y -q wrk >/dev/null || die "could not install wrk (apt-get install wrk)"
    else
        die "wrk is not installed: sudo apt-get install -y wrk (Debian/Ubuntu)"
    fi
fi
# Something else on the port would be benchmarked instead of this build.
if curl -s -o /dev/null --max-time 2 "$BASE/"; then
    die "something already answers on $BASE; stop it or set BENCH_PORT"
fi

mkdir -p bench/results
RESULTS="bench/results/home-$(date +%Y-%m-%d-%H%M).txt"
GUNICORN_LOG="bench/results/gunicorn.log"
: >"$RESULTS"
say() { echo "$*" | tee -a "$RESULTS"; }

echo "== Data: $PARTNERS partners, $PEOPLE people, $EVENTS events"
generate_args=(--partners "$PARTNERS" --people "$PEOPLE" --events "$EVENTS")
if [ "${BENCH_FRESH:-0}" = "1" ]; then
    generate_args+=(--fresh)
fi
"$PY" bench/generate.py "${generate_args[@]}" | tee -a "$RESULTS"

echo "== collectstatic"
"$PY" manage.py collectstatic --noinput -v 0

echo "== gunicorn: $WORKERS workers on $BASE (log: $GUNICORN_LOG)"
gunicorn_args=(-w "$WORKERS" -b "127.0.0.1:$PORT" --error-logfile "$GUNICORN_LOG")
# Recent gunicorn versions open a control socket in ~/.gunicorn, shared with any other
# gunicorn on the machine; the benchmark does not need it.
if "$GUNICORN" --help | grep -q -- --no-control-socket; then
    gunicorn_args+=(--no-control-socket)
fi
"$GUNICORN" touchpoint.wsgi "${gunicorn_args[@]}" &
GUNICORN_PID=$!
# TERM to the master stops its workers too; runs on success, failure and Ctrl+C.
stop_gunicorn() {
    kill -TERM "$GUNICORN_PID" 2>/dev/null || true
    wait "$GUNICORN_PID" 2>/dev/null || true
}
trap stop_gunicorn EXIT

for _ in $(seq 1 60); do
    kill -0 "$GUNICORN_PID" 2>/dev/null || die "gunicorn exited; see $GUNICORN_LOG"
    status=$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$BASE/accounts/login/" || true)
    [ "$status" = "200" ] && break
    sleep 0.5
done
[ "$status" = "200" ] || die "gunicorn did not answer 200 on /accounts/login/ (last: $status)"

say "== Touchpoint home page benchmark, $(date -Iseconds)"
say "commit $(git rev-parse --short HEAD 2>/dev/null || echo '?') (plus uncommitted changes: $(git status --porcelain 2>/dev/null | wc -l) files)"
say "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(free -g | awk '/Mem:/ {print $2}') GB RAM; gunicorn, wrk and PostgreSQL share these cores"
say "load average before the run: $(cut -d' ' -f1-3 /proc/loadavg) (other work on the machine skews the figures)"
say "rows: $("$PY" -c '
import django; django.setup()
from touchpoint.kernel.models import ActivityEvent, Notification
from touchpoint.orgs.models import Partner, User
print(f"{Partner.objects.count()} partners, {User.objects.count()} people, "
      f"{ActivityEvent.objects.count()} events, {Notification.objects.count()} notifications")
')"
say "gunicorn -w $WORKERS (sync); wrk -t$THREADS -c$CONNECTIONS -d$DURATION; serial: -t1 -c1 -d$SERIAL_DURATION"

FAILED=0
# measure PERSONA COOKIE PATH WRK-ARGS...: one wrk run with report.lua; sets RESULT.
measure() {
    local persona=$1 cookie=$2 target=$3 out non2xx
    shift 3
    out=$(wrk "$@" --timeout 10s -s bench/report.lua -H "Cookie: $cookie" "$BASE$target")
    echo "$out" | tee -a "$RESULTS"
    RESULT=$(echo "$out" | grep '^RESULT') || die "wrk printed no RESULT line for $persona"
    non2xx=$(echo "$RESULT" | sed -E 's/.*non2xx=([0-9]+).*/\1/')
    if [ "$non2xx" != "0" ]; then
        say "FAILED: $non2xx responses for $persona were not 2xx (session lost? errors?)"
        FAILED=1
    fi
}
field() { echo "$RESULT" | sed -E "s/.* $1=([0-9.]+).*/\1/"; }

# bare COOKIE: the ceiling under the same load as the homes; sets BARE_RPS.
bare() {
    say ""
    say "== ceiling: /bench/bare/ (session and user only, same middleware)"
    wrk -t1 -c2 -d"$WARMUP" -H "Cookie: $1" "$BASE/bench/bare/" >/dev/null
    measure bare "$1" /bench/bare/ -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION"
    BARE_RPS=$(field rps)
}

declare -A SUMMARY RPS P95 COOKIES
for spec in $PERSONAS; do
    persona=${spec%%=*}
    email=${spec#*=}
    COOKIES[$persona]=$("$PY" bench/session.py "$BASE" "$email" "$PASSWORD") \
        || die "could not get a signed-in session for $email"
done
first=${PERSONAS%%=*}
bare "${COOKIES[$first]}"
BARE_BEFORE=$BARE_RPS

for spec in $PERSONAS; do
    persona=${spec%%=*}
    email=${spec#*=}
    cookie=${COOKIES[$persona]}
    say ""
    say "== $persona ($email): signed in, GET / answers 200 with 'Hello,'"
    # The first requests of each worker load templates and open the database connection.
    wrk -t1 -c2 -d"$WARMUP" -H "Cookie: $cookie" "$BASE/" >/dev/null
    if [ "$SERIAL_DURATION" != "0" ]; then
        say "-- serial (1 connection)"
        measure "$persona" "$cookie" / -t1 -c1 -d"$SERIAL_DURATION"
    fi
    say "-- load ($CONNECTIONS connections)"
    measure "$persona" "$cookie" / -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION"
    RPS[$persona]=$(field rps)
    P95[$persona]=$(field p95_ms)
    SUMMARY[$persona]="${RPS[$persona]} req/s, p95 ${P95[$persona]} ms"
done

bare "${COOKIES[$first]}"
# The ceiling is the mean of the runs before and after, so a machine busier at one end
# of the run does not flatter or punish the homes.
CEILING=$(awk -v a="$BARE_BEFORE" -v b="$BARE_RPS" 'BEGIN { printf "%.1f", (a + b) / 2 }')

say ""
say "== Summary (load, $CONNECTIONS connections; ceiling $CEILING req/s = mean of $BARE_BEFORE and $BARE_RPS)"
for spec in $PERSONAS; do
    persona=${spec%%=*}
    say "$(printf '%-16s %s' "$persona" "${SUMMARY[$persona]}")"
done
for spec in $PERSONAS; do
    persona=${spec%%=*}
    ratio=$(awk -v v="${RPS[$persona]}" -v c="$CEILING" 'BEGIN { printf "%.2f", v / c }')
    say "BENCH home_$persona value=${RPS[$persona]} ceiling=$CEILING ratio=$ratio req/s"
    say "BENCH home_${persona}_p95 value=${P95[$persona]} ms"
done
echo "Results written to $RESULTS"
exit "$FAILED"
