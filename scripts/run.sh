#!/usr/bin/env bash
# Serve the site on 127.0.0.1 (and, once the shop lands, localstripe beside it).
set -euo pipefail
cd "$(dirname "$0")/.."
PORT="${1:-8000}"
echo "Serving http://127.0.0.1:${PORT}/ (admin: http://127.0.0.1:${PORT}/admin/). Ctrl-C stops."
exec .venv/bin/python manage.py runserver "127.0.0.1:${PORT}"
