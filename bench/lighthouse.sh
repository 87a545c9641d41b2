#!/usr/bin/env bash
# Lighthouse (npm, pinned in bench/lighthouse/package-lock.json) with Debian's
# chromium in mobile mode on the home page, a product page and an assessment
# step of a server already running on loopback, seeded with the demo password
# bench-password-123 (the assessment step is the demo owner's). Prints the four
# scores. Never downloads a browser: CHROME_PATH is Debian's /usr/bin/chromium.
#   export DJANGO_SETTINGS_MODULE=config.settings.e2e TEST_DB_NAME=/tmp/lh.sqlite3
#   .venv/bin/python manage.py migrate && .venv/bin/python manage.py seed_demo --password bench-password-123
#   .venv/bin/gunicorn config.wsgi:application --bind 127.0.0.1:8790 --workers 2 &
#   bash bench/lighthouse.sh http://127.0.0.1:8790
# The assessment step carries noindex (a private page), so its SEO score lacks
# the "is-crawlable" audit by design.
set -euo pipefail
cd "$(dirname "$0")/.."
BASE="${1:-http://127.0.0.1:8790}"
case "$BASE" in http://127.0.0.1:*|http://localhost:*) ;; *) echo "loopback only"; exit 2;; esac
(cd bench/lighthouse && { [ -d node_modules/lighthouse ] || npm ci --ignore-scripts --no-audit --no-fund --loglevel=error; })
mkdir -p bench/results/lighthouse

# Pages: home, the first product linked from the catalogue, and the first step
# of an assessment the demo owner has open (the session cookie is passed along).
read -r PRODUCT STEP COOKIE < <(.venv/bin/python bench/lighthouse_pages.py "$BASE")

run() {
  local name="$1" url="$2" cookie="${3:-}"
  local headers=()
  if [ -n "$cookie" ]; then headers=(--extra-headers "{\"Cookie\": \"$cookie\"}"); fi
  CHROME_PATH=/usr/bin/chromium bench/lighthouse/node_modules/.bin/lighthouse "$url" --quiet \
    --chrome-path=/usr/bin/chromium \
    --chrome-flags="--headless=new --no-sandbox --disable-gpu --disable-background-networking --disable-component-update --disable-sync --no-first-run" \
    --form-factor=mobile --only-categories=performance,accessibility,best-practices,seo \
    --output=json --output-path="bench/results/lighthouse/$name.json" "${headers[@]}"
  .venv/bin/python - "$name" "bench/results/lighthouse/$name.json" <<'PY'
import json, sys
name, path = sys.argv[1], sys.argv[2]
report = json.load(open(path))
scores = {k: round(v["score"] * 100) for k, v in report["categories"].items()}
print(f"{name:16} performance={scores['performance']:3} accessibility={scores['accessibility']:3} "
      f"best-practices={scores['best-practices']:3} seo={scores['seo']:3}  {report['finalDisplayedUrl']}")
PY
}

run home "$BASE/"
# if/fi, not `[ ... ] && run`: a skipped last page must not make the exit status 1.
if [ "$PRODUCT" != "-" ]; then run product "$BASE$PRODUCT"; fi
if [ "$STEP" != "-" ]; then run assessment-step "$BASE$STEP" "$COOKIE"; fi
