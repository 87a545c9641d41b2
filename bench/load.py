"""Mixed load against a running server on loopback: 80 % browse and search,
15 % cart, 5 % checkout. Prints users, requests/s, p50/p95/p99 per kind and
errors; exits 1 on any error or when a p95 target is missed.

    .venv/bin/python bench/load.py --base-url http://127.0.0.1:8790 --users 20 --seconds 60

bench/run_load.sh serves a seeded copy of the demo with gunicorn and runs this.
No third-party load tool: threads with one cookie jar (one buyer) each.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import random
import re
import statistics
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import defaultdict

TARGETS_MS = {"page": 500, "search": 500, "cart": 500, "checkout": 1500}
VARIANT = re.compile(r'<option value="([0-9a-f-]{36})"(?! disabled)')
SEARCHES = ["gao", "nuoc mam", "thot not", "lua", "xoai", "kho ca", "st25", "ocop"]


class Buyer:
    def __init__(self, base: str) -> None:
        self.base = base
        self.has_cart = False
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar)
        )

    def request(self, path: str, data: dict | None = None) -> tuple[int, str]:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(self.base + path, data=body)
        if data is not None:
            request.add_header("Referer", self.base + path)
            # As a browser does: cart_add checks it (shop.same_origin), since
            # cached product pages set no CSRF cookie.
            request.add_header("Origin", self.base)
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status, response.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode("utf-8", "replace")

    def csrf(self) -> str:
        for cookie in self.jar:
            if cookie.name == "csrftoken":
                return cookie.value
        return ""


def discover(base: str) -> tuple[list[str], list[str], list[str]]:
    """Brand and product paths and variant ids, read from the live site."""
    buyer = Buyer(base)
    _, home = buyer.request("/")
    links = set(re.findall(r'href="(/[^"#?]*)"', home))
    pages = sorted(p for p in links if not p.startswith(("/static", "/media", "/en/")))
    variants: set[str] = set()
    products: set[str] = set()
    for path in pages[:40]:
        _, html = buyer.request(path)
        for link in re.findall(r'href="(/[^"#?]*)"', html):
            if link.count("/") >= 4 and not link.startswith(("/static", "/media")):
                products.add(link)
        variants.update(VARIANT.findall(html))
    buy_pages: list[str] = []
    for path in sorted(products)[:60]:
        _, html = buyer.request(path)
        found = VARIANT.findall(html)
        if found:
            buy_pages.append(path)
        variants.update(found)
    return sorted(set(pages) | products), sorted(variants), buy_pages


def run(base: str, users: int, seconds: int) -> int:
    pages, variants, buy_pages = discover(base)
    if not pages:
        print("no pages discovered", file=sys.stderr)
        return 1
    timings: dict[str, list[float]] = defaultdict(list)
    errors: list[str] = []
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def timed(kind: str, buyer: Buyer, path: str, data=None, ok=(200, 302)) -> str:
        start = time.perf_counter()
        try:
            status, body = buyer.request(path, data)
        except OSError as error:
            status, body = 0, str(error)
        elapsed = (time.perf_counter() - start) * 1000
        with lock:
            timings[kind].append(elapsed)
            if status not in ok:
                errors.append(f"{kind} {path} -> {status}")
        return body

    def user(seed: int) -> None:
        rng = random.Random(seed)
        buyer = Buyer(base)
        while time.monotonic() < deadline:
            roll = rng.random()
            if roll < 0.65 or not buy_pages:
                timed("page", buyer, rng.choice(pages))
            elif roll < 0.80:
                query = urllib.parse.quote(rng.choice(SEARCHES))
                timed("search", buyer, f"/search/?q={query}")
            elif roll < 0.95 or not buyer.has_cart:
                # A product page first: it sets the CSRF cookie, as a browser's would.
                timed("page", buyer, rng.choice(buy_pages))
                data = {
                    "csrfmiddlewaretoken": buyer.csrf(),
                    "variant": rng.choice(variants),
                    "quantity": "1",
                }
                timed("cart", buyer, "/cart/add/", data, ok=(200, 302, 409))
                buyer.has_cart = True
            else:
                html = timed("checkout", buyer, "/checkout/")
                fields = dict(re.findall(r'name="([a-z_]+)" value="([^"]*)"', html))
                fields.update(
                    csrfmiddlewaretoken=buyer.csrf(),
                    email=f"load{seed}@example.com",
                    phone="0912345678",
                    recipient_name="Nguyễn Văn Tải",
                    recipient_phone="0912345678",
                    province="An Giang",
                    commune="Long Xuyên",
                    street="1 Tôn Đức Thắng",
                    accept_terms="on",
                )
                timed("checkout", buyer, "/checkout/", fields, ok=(200, 302, 409))
                buyer.has_cart = False  # the order took the cart

    threads = [threading.Thread(target=user, args=(i,)) for i in range(users)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.monotonic() - started

    total = sum(len(v) for v in timings.values())
    print(f"users={users} seconds={seconds} requests={total} rps={total / wall:.1f}")
    failed = bool(errors)
    for kind, values in sorted(timings.items()):
        values.sort()
        p50 = statistics.median(values)
        p95 = values[int(0.95 * (len(values) - 1))]
        p99 = values[int(0.99 * (len(values) - 1))]
        target = TARGETS_MS[kind]
        verdict = "ok" if p95 <= target else f"OVER {target} ms"
        failed |= p95 > target
        print(
            f"{kind:9} n={len(values):6} p50={p50:7.1f} ms p95={p95:7.1f} ms "
            f"p99={p99:7.1f} ms  {verdict}"
        )
    print(f"errors={len(errors)}")
    for line in errors[:20]:
        print("  " + line)
    return 1 if failed else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base-url", default="http://127.0.0.1:8790")
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--seconds", type=int, default=60)
    args = parser.parse_args()
    host = urllib.parse.urlsplit(args.base_url).hostname
    if host not in {"127.0.0.1", "localhost", "::1"}:
        parser.error("loopback only: the bench never loads another machine")
    return run(args.base_url.rstrip("/"), args.users, args.seconds)


if __name__ == "__main__":
    sys.exit(main())
