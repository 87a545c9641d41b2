#!/usr/bin/env bash
# Serve a seeded demo with gunicorn on 127.0.0.1 and run the mixed load against it.
#   bash bench/run_load.sh 60 20     # CI mode: 60 s, 20 users, fails on any error
#   bash bench/run_load.sh 300 50    # the 5-minute figure
# DATABASE_URL / REDIS_URL, when set, are used as given (PostgreSQL + Redis);
# otherwise a SQLite file under bench/results/ is created afresh.
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_TO_RUN="${1:-60}"
USERS="${2:-20}"
PORT="${BENCH_PORT:-8790}"
WORKERS="${BENCH_WORKERS:-$(( $(nproc) * 2 + 1 ))}"
mkdir -p bench/results
export DJANGO_SETTINGS_MODULE=config.settings.e2e
export DEMO_PASSWORD=bench-password-123
export EMAIL_URL="filemail:///$PWD/bench/results/mail"
if [ -z "${DATABASE_URL:-}" ]; then
  export TEST_DB_NAME="$PWD/bench/results/bench.sqlite3"
  rm -f "$TEST_DB_NAME" "$TEST_DB_NAME-wal" "$TEST_DB_NAME-shm"
fi
.venv/bin/python manage.py migrate --noinput >/dev/null
.venv/bin/python manage.py seed_demo --quiet
.venv/bin/gunicorn config.wsgi:application --bind "127.0.0.1:${PORT}" \
  --workers "$WORKERS" --threads 4 --timeout 60 \
  --access-logfile bench/results/access.log --error-logfile bench/results/error.log &
SERVER=$!
trap 'kill "$SERVER" 2>/dev/null; wait "$SERVER" 2>/dev/null || true' EXIT
for _ in $(seq 60); do
  curl -sf "http://127.0.0.1:${PORT}/healthz" >/dev/null && break
  sleep 1
done
echo "workers=${WORKERS} database=${DATABASE_URL:-sqlite}"
.venv/bin/python bench/load.py --base-url "http://127.0.0.1:${PORT}" \
  --users "$USERS" --seconds "$SECONDS_TO_RUN"
