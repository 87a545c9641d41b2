"""Mixed load against a running server on loopback: 80 % browse and search,
15 % cart, 5 % checkout and payment. Prints users, requests/s, p50/p95/p99 per
kind and errors; exits 1 on any error or (unless --no-targets) when a p95
target is missed.

    .venv/bin/python bench/load.py --base-url http://127.0.0.1:8790 --users 20 --seconds 60

bench/run_load.sh serves a seeded copy of the demo with gunicorn and
localstripe and runs this; tests/proof/test_two_servers.py runs it for 60 s in CI.
No third-party load tool: threads with one cookie jar (one buyer) each.

Payment: when the order's payment page offers a card form whose Stripe.js
comes from loopback (localstripe), the buyer tokenises the test card there,
as Stripe.js would, and posts it to the shop; real Stripe is never called.
Expected refusals are counted, not errors: 409 (out of stock, cart changed).
"""

from __future__ import annotations

import argparse
import http.cookiejar
import json
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
TARGETS_MS["payment"] = 1500
VARIANT = re.compile(r'<option value="([0-9a-f-]{36})"(?! disabled)')
# What a 4xx page says went wrong: the shop's alert or a form field's error.
REASON = re.compile(
    r'(?:role="alert">|class="errorlist[^"]*"[^>]*>\s*<li>)\s*([^<]{1,160})', re.S
)
FIELD = re.compile(r'name="([a-z_]+)" value="([^"]*)"')
STRIPE_JS = re.compile(r'src="(http://(?:127\.0\.0\.1|localhost):\d+)/js\.stripe\.com/')
PAY_FORM = re.compile(
    r'data-publishable-key="(pk_[^"]+)"[^>]*data-card-url="([^"]+)"', re.S
)
# What a guest types into the checkout form (tests/proof reuses it).
CHECKOUT_DETAILS = {
    "phone": "0912345678",
    "recipient_name": "Nguyễn Văn Tải",
    "recipient_phone": "0912345678",
    "province": "An Giang",
    "commune": "Long Xuyên",
    "street": "1 Tôn Đức Thắng",
    "accept_terms": "on",
    # The method radios all parse into one field: pick the card (paid through
    # localstripe below) as a buyer abroad would.
    "payment_method": "card",
}
SEARCHES = ["gao", "nuoc mam", "thot not", "lua", "xoai", "kho ca", "st25", "ocop"]


class Buyer:
    def __init__(self, base: str) -> None:
        self.base = base
        self.has_cart = False
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar)
        )

    def request(self, path: str, data: dict | None = None) -> tuple[int, str, str]:
        """Status, body and final URL (redirects followed, as a browser does)."""
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(self.base + path, data=body)
        if data is not None:
            request.add_header("Referer", self.base + path)
            # As a browser does: cart_add checks it (shop.same_origin), since
            # cached product pages set no CSRF cookie.
            request.add_header("Origin", self.base)
        try:
            with self.opener.open(request, timeout=30) as response:
                body = response.read().decode("utf-8", "replace")
                return response.status, body, response.url
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode("utf-8", "replace"), error.url

    def csrf(self) -> str:
        for cookie in self.jar:
            if cookie.name == "csrftoken":
                return cookie.value
        return ""


def discover(base: str, crawl: int = 40) -> tuple[list[str], list[str], list[str]]:
    """Brand and product paths and variant ids, read from the live site
    (``crawl`` listing pages, and half as many more product pages)."""
    buyer = Buyer(base)
    status, home, _ = buyer.request("/")
    if status != 200:
        # Say why instead of "no pages discovered" (a restarted server, a 5xx).
        print(f"home page answered {status}: {home[:300]!r}", file=sys.stderr)
    links = set(re.findall(r'href="(/[^"#?]*)"', home))
    pages = sorted(p for p in links if not p.startswith(("/static", "/media", "/en/")))
    variants: set[str] = set()
    products: set[str] = set()
    for path in pages[:crawl]:
        _, html, _ = buyer.request(path)
        for link in re.findall(r'href="(/[^"#?]*)"', html):
            if link.count("/") >= 4 and not link.startswith(("/static", "/media")):
                products.add(link)
        variants.update(VARIANT.findall(html))
    buy_pages: list[str] = []
    for path in sorted(products)[: crawl * 3 // 2]:
        _, html, _ = buyer.request(path)
        found = VARIANT.findall(html)
        if found:
            buy_pages.append(path)
        variants.update(found)
    return sorted(set(pages) | products), sorted(variants), buy_pages


def card_token(stripe_base: str, publishable_key: str) -> str:
    """What Stripe.js's createToken gives the browser, from localstripe."""
    data = urllib.parse.urlencode(
        {
            "card[number]": "4242424242424242",
            "card[exp_month]": "12",
            "card[exp_year]": "2031",
            "card[cvc]": "123",
            "key": publishable_key,
        }
    ).encode()
    url = f"{stripe_base}/v1/tokens"
    with urllib.request.urlopen(url, data=data, timeout=30) as response:
        return json.load(response)["card"]["id"]


def run(
    base: str, users: int, seconds: int, *, targets: bool = True, crawl: int = 40
) -> int:
    pages, variants, buy_pages = discover(base, crawl)
    if not pages:
        print("no pages discovered", file=sys.stderr)
        return 1
    timings: dict[str, list[float]] = defaultdict(list)
    errors: list[str] = []
    counts: dict[str, int] = defaultdict(int)
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def timed(kind: str, buyer: Buyer, path: str, data=None, ok=(200, 302)):
        start = time.perf_counter()
        try:
            status, body, url = buyer.request(path, data)
        except OSError as error:
            status, body, url = 0, str(error), path
        elapsed = (time.perf_counter() - start) * 1000
        with lock:
            timings[kind].append(elapsed)
            if status not in ok:
                reasons = "; ".join(r.strip() for r in REASON.findall(body)[:3])
                errors.append(f"{kind} {path} -> {status} {reasons}".rstrip())
            elif status == 409:
                counts[f"{kind} refused (409)"] += 1
        return status, body, url

    def count(what: str) -> None:
        with lock:
            counts[what] += 1

    def pay(buyer: Buyer, html: str) -> None:
        form, stripe = PAY_FORM.search(html), STRIPE_JS.search(html)
        if not (form and stripe):
            count("payment not offered (no Stripe keys, or Stripe not on loopback)")
            return
        try:
            card = card_token(stripe.group(1), form.group(1))
        except (OSError, ValueError, KeyError) as error:
            with lock:
                errors.append(f"payment: localstripe token -> {error}")
            return
        data = {"csrfmiddlewaretoken": buyer.csrf(), "card": card}
        status, body, _ = timed("payment", buyer, form.group(2), data, ok=(200,))
        if status == 200 and '"succeeded"' not in body:
            with lock:
                errors.append(f"payment {form.group(2)} -> {body[:160]}")
        elif status == 200:
            count("orders paid")

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
                status, _, _ = timed(
                    "cart", buyer, "/cart/add/", data, ok=(200, 302, 409)
                )
                # A refused add (409: out of stock) leaves the cart as it was:
                # possibly empty, and checking out an empty cart is no test.
                buyer.has_cart |= status in (200, 302)
            else:
                _, html, _ = timed("checkout", buyer, "/checkout/")
                fields = dict(FIELD.findall(html))
                if "checkout_token" not in fields:
                    # Redirected to the cart: nothing left to buy (a browser
                    # shows the cart, it does not post a form it never got).
                    count("checkout skipped: cart empty")
                    buyer.has_cart = False
                    continue
                fields.update(
                    CHECKOUT_DETAILS,
                    csrfmiddlewaretoken=buyer.csrf(),
                    email=f"load{seed}@example.com",
                )
                status, html, url = timed(
                    "checkout", buyer, "/checkout/", fields, ok=(200, 302, 409)
                )
                if status == 409:
                    # Out of stock or changed: this buyer gives up the cart.
                    buyer = Buyer(base)
                elif url.endswith("/pay/"):
                    buyer.has_cart = False  # the order took the cart
                    pay(buyer, html)

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
    if not timings.get("checkout"):
        errors.append("no checkout at all: too short a run or too few users")
        failed = True
    for kind, values in sorted(timings.items()):
        values.sort()
        p50 = statistics.median(values)
        p95 = values[int(0.95 * (len(values) - 1))]
        p99 = values[int(0.99 * (len(values) - 1))]
        target = TARGETS_MS[kind]
        verdict = "ok" if p95 <= target else f"OVER {target} ms"
        failed |= targets and p95 > target
        print(
            f"{kind:9} n={len(values):6} p50={p50:7.1f} ms p95={p95:7.1f} ms "
            f"p99={p99:7.1f} ms  {verdict}"
        )
    for what, number in sorted(counts.items()):
        print(f"{what}: {number}")
    print(f"errors={len(errors)}")
    for line in errors[:20]:
        print("  " + line)
    return 1 if failed else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base-url", default="http://127.0.0.1:8790")
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument(
        "--no-targets",
        action="store_true",
        help="fail on errors only, not on missed p95 targets (CI on shared machines)",
    )
    parser.add_argument(
        "--crawl",
        type=int,
        default=40,
        help="listing pages read to find products before the run (fewer: faster start)",
    )
    args = parser.parse_args()
    host = urllib.parse.urlsplit(args.base_url).hostname
    if host not in {"127.0.0.1", "localhost", "::1"}:
        parser.error("loopback only: the bench never loads another machine")
    return run(
        args.base_url.rstrip("/"),
        args.users,
        args.seconds,
        targets=not args.no_targets,
        crawl=args.crawl,
    )


if __name__ == "__main__":
    sys.exit(main())
