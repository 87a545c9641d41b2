"""Throughput and latency of the public pages, served by gunicorn on 127.0.0.1.

Usage:
    .venv/bin/python bench/pages.py [--database URL] [--port 8150] [--requests 300]
        [--concurrency 8] [--workers 2] [--weight]

--database defaults to $DATABASE_URL; it must hold the demo content, seeded
with the test settings so its images are where the server looks for them:
`DJANGO_SETTINGS_MODULE=config.settings.test manage.py migrate && ... seed_demo`.
The script starts gunicorn with
the test settings (DEBUG off, whitenoise for static files), warms every URL,
then fires --requests requests per URL from --concurrency keep-alive client
threads and prints requests/s, p50 and p99 latency, and each page's
requests/s as a ratio of the minimal Django view (/healthz). --weight also
loads the home and a product page in headless Chromium as a first-time phone
visitor (360x740, empty cache) and prints bytes transferred and requests.
--uncached adds a query parameter no page declares, so the page cache stores
nothing and every request renders the page (a cookie no longer bypasses the
cache: pages are the same for everyone, see core.page_cache).
"""

from __future__ import annotations

import argparse
import http.client
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

PAGES = [
    ("minimal view (/healthz)", "/healthz"),
    ("static file (site.css)", "/static/css/site.css"),
    ("home", "/"),
    ("brand index", "/thuong-hieu/"),
    ("brand", "/thuong-hieu/hung-phat/"),
    ("product", "/thuong-hieu/hung-phat/gao-st25/"),
    ("catalogue", "/san-pham/"),
]


def _start_server(
    port: int, workers: int, database: str, static_root: str
) -> subprocess.Popen:
    env = {
        **os.environ,
        "DATABASE_URL": database,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        # whitenoise serves collected files (DEBUG is off), as in production.
        "DJANGO_STATIC_ROOT": static_root,
    }
    subprocess.run(
        [
            str(ROOT / ".venv/bin/python"),
            "manage.py",
            "collectstatic",
            "--noinput",
            "-v0",
        ],
        cwd=ROOT,
        env=env,
        check=True,
    )
    process = subprocess.Popen(
        [
            str(ROOT / ".venv/bin/gunicorn"),
            "config.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--threads",
            "1",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/healthz")
            if connection.getresponse().status == 200:
                return process
        except OSError:
            time.sleep(0.3)
    process.terminate()
    raise SystemExit("gunicorn did not start")


HEADERS = {"Host": "localhost"}
# Set by --uncached: an undeclared parameter is rendered, never stored.
UNCACHED_PARAM = ""


def _request_path(path: str) -> str:
    if not UNCACHED_PARAM:
        return path
    return path + ("&" if "?" in path else "?") + UNCACHED_PARAM


def _worker(port: int, path: str, count: int, latencies: list, errors: list) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    for _ in range(count):
        start = time.perf_counter()
        try:
            connection.request("GET", _request_path(path), headers=HEADERS)
            response = connection.getresponse()
            response.read()
            if response.status != 200:
                errors.append(response.status)
        except (OSError, http.client.HTTPException) as error:
            errors.append(repr(error))
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            continue
        latencies.append(time.perf_counter() - start)


def _probe(port: int, path: str) -> tuple[int, str]:
    """Status and X-Page-Cache header ("hit" for a page served from the cache)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request("GET", _request_path(path), headers=HEADERS)
    response = connection.getresponse()
    response.read()
    connection.close()
    return response.status, response.getheader("X-Page-Cache") or "-"


def _measure(port: int, path: str, requests: int, concurrency: int) -> dict:
    latencies: list[float] = []
    errors: list = []
    per_thread = max(1, requests // concurrency)
    threads = [
        threading.Thread(
            target=_worker, args=(port, path, per_thread, latencies, errors)
        )
        for _ in range(concurrency)
    ]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - start
    ordered = sorted(latencies)
    return {
        "rps": len(latencies) / elapsed,
        "p50": statistics.median(ordered) * 1000 if ordered else float("nan"),
        "p99": ordered[int(len(ordered) * 0.99) - 1] * 1000
        if ordered
        else float("nan"),
        "errors": len(errors),
    }


def _page_weight(port: int) -> None:
    from playwright.sync_api import sync_playwright

    print()
    print("Page weight, first visit on a phone (360x740, empty cache):")
    print(f"{'page':<10} {'bytes':>10} {'requests':>9}")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        for label, path in (("home", "/"), ("product", PAGES[5][1])):
            context = browser.new_context(
                viewport={"width": 360, "height": 740},
                device_scale_factor=2,
                is_mobile=True,
                user_agent="Mozilla/5.0 (Linux; Android 14) Mobile Safari/537.36",
            )
            page = context.new_page()
            totals = {"bytes": 0, "requests": 0}

            def on_finished(request, totals=totals):
                sizes = request.sizes()
                totals["requests"] += 1
                totals["bytes"] += (
                    sizes["responseBodySize"] + sizes["responseHeadersSize"]
                )

            page.on("requestfinished", on_finished)
            page.goto(f"http://localhost:{port}{path}", wait_until="networkidle")
            print(f"{label:<10} {totals['bytes']:>10} {totals['requests']:>9}")
            context.close()
        browser.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default=os.environ.get("DATABASE_URL"))
    parser.add_argument("--port", type=int, default=8150)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--weight", action="store_true")
    parser.add_argument("--uncached", action="store_true")
    args = parser.parse_args()
    if args.uncached:
        global UNCACHED_PARAM
        UNCACHED_PARAM = "bench-render=1"
    if not args.database:
        raise SystemExit("Give --database or set DATABASE_URL (a DB with seed_demo).")

    # The collected static files are this run's alone: gone when it ends.
    with tempfile.TemporaryDirectory(prefix="agdb-bench-static-") as static_root:
        server = _start_server(args.port, args.workers, args.database, static_root)
        try:
            for _label, path in PAGES:  # warm: renditions, caches, imports
                _measure(args.port, path, args.workers * 4, args.workers)
            probes = {path: _probe(args.port, path) for _label, path in PAGES}
            broken = [
                f"{path} -> {status}"
                for path, (status, _) in probes.items()
                if status != 200
            ]
            if broken:
                raise SystemExit(
                    "Pages fail after warming (is the database seeded with "
                    "config.settings.test, so its images are in .test-media?): "
                    + ", ".join(broken)
                )
            results = [
                (
                    label,
                    path,
                    _measure(args.port, path, args.requests, args.concurrency),
                )
                for label, path in PAGES
            ]
            baseline = results[0][2]["rps"]
            print(
                f"gunicorn {args.workers} workers, {args.concurrency} client threads, "
                f"{args.requests} requests per URL"
                + (" (uncached: undeclared query parameter)" if args.uncached else "")
            )
            print(
                f"{'page':<26} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} "
                f"{'vs minimal':>10} {'errors':>6} {'cache':>5}"
            )
            for label, path, r in results:
                print(
                    f"{label:<26} {r['rps']:>8.1f} {r['p50']:>8.1f} {r['p99']:>8.1f} "
                    f"{r['rps'] / baseline:>10.2f} {r['errors']:>6} {probes[path][1]:>5}"
                )
            if args.weight:
                _page_weight(args.port)
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=30)


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
