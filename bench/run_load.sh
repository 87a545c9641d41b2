#!/usr/bin/env bash
# Serve a seeded demo with gunicorn on 127.0.0.1, with localstripe (fake Stripe,
# loopback) so buyers pay with the test card, and run the mixed load against it.
#   bash bench/run_load.sh 60 20     # 60 s, 20 users
#   bash bench/run_load.sh 300 50    # the 5-minute figure at 50 users
# Prints workers, users, req/s, p50/p95/p99 per kind (page, search, cart,
# checkout, payment) and every error; exits 1 on an error or a missed p95
# target. DATABASE_URL / REDIS_URL, when set, are used as given (PostgreSQL +
# Redis); otherwise a SQLite file under bench/results/ is created afresh.
# BENCH_PORT (8790) and BENCH_STRIPE_PORT (BENCH_PORT + 1) choose the ports.
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_TO_RUN="${1:-60}"
USERS="${2:-20}"
PORT="${BENCH_PORT:-8790}"
STRIPE_PORT="${BENCH_STRIPE_PORT:-$((PORT + 1))}"
WORKERS="${BENCH_WORKERS:-$(( $(nproc) * 2 + 1 ))}"
mkdir -p bench/results
export DJANGO_SETTINGS_MODULE=config.settings.e2e
export DEMO_PASSWORD=bench-password-123
export EMAIL_URL="filemail:///$PWD/bench/results/mail"
export STRIPE_API_BASE="http://127.0.0.1:${STRIPE_PORT}"
export STRIPE_SECRET_KEY=sk_test_bench_localstripe
export STRIPE_PUBLISHABLE_KEY=pk_test_bench_localstripe
export STRIPE_WEBHOOK_SECRET=whsec_bench_localstripe
export STRIPE_JS_URL="${STRIPE_API_BASE}/js.stripe.com/v3/"
if [ -z "${DATABASE_URL:-}" ]; then
  export TEST_DB_NAME="$PWD/bench/results/bench.sqlite3"
  rm -f "$TEST_DB_NAME" "$TEST_DB_NAME-wal" "$TEST_DB_NAME-shm"
fi
.venv/bin/python manage.py migrate --noinput >/dev/null
.venv/bin/python manage.py seed_demo --quiet
pids=()
trap 'for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null || true; done' EXIT
.venv/bin/python scripts/localstripe_server.py --port "$STRIPE_PORT" \
  --webhook-url "http://127.0.0.1:${PORT}/stripe/webhook/" \
  --webhook-secret "$STRIPE_WEBHOOK_SECRET" >bench/results/localstripe.log 2>&1 &
pids+=($!)
.venv/bin/gunicorn config.wsgi:application --bind "127.0.0.1:${PORT}" \
  --workers "$WORKERS" --threads 4 --timeout 60 \
  --access-logfile bench/results/access.log --error-logfile bench/results/error.log &
pids+=($!)
for _ in $(seq 60); do
  curl -sf "http://127.0.0.1:${PORT}/healthz" >/dev/null \
    && curl -sf "${STRIPE_JS_URL}" >/dev/null && break
  sleep 1
done
echo "workers=${WORKERS} database=${DATABASE_URL:-sqlite} stripe=localstripe:${STRIPE_PORT}"
.venv/bin/python bench/load.py --base-url "http://127.0.0.1:${PORT}" \
  --users "$USERS" --seconds "$SECONDS_TO_RUN"
