#!/usr/bin/env bash
# Serve the site on 127.0.0.1 with localstripe (a fake Stripe API) beside it, so
# a newcomer can buy with the test card 4242 4242 4242 4242 without any Stripe
# account or internet. With real Stripe test keys in the environment
# (STRIPE_SECRET_KEY set and STRIPE_API_BASE empty) localstripe is not started.
set -euo pipefail
cd "$(dirname "$0")/.."
PORT="${1:-8000}"
LOCALSTRIPE_PORT="${LOCALSTRIPE_PORT:-8420}"
PY=.venv/bin/python
pids=()
# Stop a process and everything under it: the reconcile loop's sleep or
# shop_reconcile and runserver's autoreloaded child would otherwise outlive us.
# The parent goes first (its children listed just before), so it cannot start
# another child meanwhile.
stop_tree() {
    local kids
    kids=$(pgrep -P "$1" || true)
    kill "$1" 2>/dev/null || true
    for kid in $kids; do stop_tree "$kid"; done
}
cleanup() { for pid in "${pids[@]}"; do stop_tree "$pid"; done; }
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

if [[ -z "${STRIPE_SECRET_KEY:-}" || -n "${STRIPE_API_BASE:-}" ]]; then
    export STRIPE_API_BASE="http://127.0.0.1:${LOCALSTRIPE_PORT}"
    export STRIPE_SECRET_KEY="sk_test_localstripe"
    export STRIPE_PUBLISHABLE_KEY="pk_test_localstripe"
    export STRIPE_WEBHOOK_SECRET="whsec_localstripe_dev"
    export STRIPE_JS_URL="${STRIPE_API_BASE}/js.stripe.com/v3/"
    webhook="http://127.0.0.1:${PORT}/stripe/webhook/"
    if curl -fs -o /dev/null "${STRIPE_API_BASE}/js.stripe.com/v3/"; then
        # Already running (an earlier `make run`): just point it at this server.
        curl -fs -o /dev/null -X POST -d "url=${webhook}" -d "secret=${STRIPE_WEBHOOK_SECRET}" \
            "${STRIPE_API_BASE}/_config/webhooks/agdb"
    else
        $PY scripts/localstripe_server.py --port "$LOCALSTRIPE_PORT" \
            --webhook-url "$webhook" --webhook-secret "$STRIPE_WEBHOOK_SECRET" &
        pids+=($!)
        for _ in $(seq 50); do
            curl -fs -o /dev/null "${STRIPE_API_BASE}/js.stripe.com/v3/" && break
            sleep 0.2
        done
    fi
    echo "Payments: localstripe on ${STRIPE_API_BASE}; pay with card 4242 4242 4242 4242, any future date, any CVC."
fi

# VietQR orders: dev settings carry a demo account and the fake bank feed's secret.
echo "Bank transfer: \"pay\" a VietQR order with the fake bank feed (another terminal):"
echo "  $PY manage.py shop_fake_bank_transfer <order number> --url http://127.0.0.1:${PORT}/shop/bank-feed/"

# Unpaid orders expire and lost webhooks are caught up, as the worker does in production.
( while sleep 60; do $PY manage.py shop_reconcile --older-than 2 >/dev/null 2>&1 || true; done ) &
pids+=($!)

echo "Serving http://127.0.0.1:${PORT}/ (admin: http://127.0.0.1:${PORT}/admin/). Ctrl-C stops."
# In the background and waited for: bash runs a trap only once the foreground
# command ends, so a signal sent to this script alone would otherwise wait.
$PY manage.py runserver "127.0.0.1:${PORT}" &
pids+=($!)
wait "$!"
