"""More than one app server: two gunicorn processes on different loopback ports
over the same PostgreSQL and Redis, plus the task worker and localstripe
(PostgreSQL only).

- a buyer's cart started on one server continues on the other, and survives
  the first server being killed (SIGKILL: no graceful shutdown);
- a price changed in the variant admin on one server shows on the other at
  once: the anonymous page cache lives in Redis and the change purges it;
- Stripe's webhook (signed by localstripe with the real scheme) reaches only
  the second server, and the first shows the order paid;
- a server killed while a checkout POST is in flight loses nothing: the buyer
  resubmits the same form on the other server, gets one order, pays, and the
  worker sends the emails;
- media live in one S3-compatible bucket (scripts/s3_server.py, a real HTTP
  stand-in): an image uploaded through the first server's admin is rendered
  by the second, and both its original and the rendition are fetched from the
  bucket, with nothing on either server's disk;
- a minute of bench/load.py's mixed load (the CI version of the 5-minute
  bench) ends without a single error.

The stack is seeded once for the module (tests/proof/cluster.py).
"""

from __future__ import annotations

import http.client
import http.cookiejar
import io
import json
import re
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from dataclasses import dataclass
from html.parser import HTMLParser

import pytest

from bench.load import CHECKOUT_DETAILS, card_token
from tests.livestack import PASSWORD, ROOT

from .cluster import PUBLISHABLE_KEY, Cluster, cluster_fixture  # noqa: F401

pytestmark = [pytest.mark.slow, pytest.mark.postgres, pytest.mark.timeout(900)]

OWNER = "chu.hung-phat@an-giang.example"
ORDER_NUMBER = re.compile(r"AG-\d{4}-\d{6}")


class FormFields(HTMLParser):
    """The fields a browser would submit from the form posting to ``action``."""

    def __init__(self, action: str) -> None:
        super().__init__(convert_charrefs=True)
        self.action = action
        self.inside = False
        self.fields: dict[str, str] = {}
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.inside = a.get("method", "").lower() == "post" and (
                a.get("action", "") in ("", self.action)
            )
        elif tag == "option":
            if self._select and "selected" in a:
                self.fields[self._select] = a.get("value", "")
        elif not self.inside or "name" not in a:
            return
        elif tag == "input":
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            if kind not in ("submit", "button", "file"):
                self.fields[a["name"]] = a.get(
                    "value", "on" if kind == "checkbox" else ""
                )
        elif tag == "select":
            self._select = a["name"]
            self.fields.setdefault(a["name"], "")
        elif tag == "textarea":
            self._textarea = a["name"]
            self.fields[a["name"]] = ""

    def handle_data(self, data):
        if self._textarea:
            self.fields[self._textarea] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def form_fields(html: str, action: str) -> dict[str, str]:
    parser = FormFields(action)
    parser.feed(html)
    return parser.fields


@dataclass
class Answer:
    status: int
    url: str
    body: str
    headers: dict


class Buyer:
    """One browser's cookie jar, talking to whichever server it is given."""

    def __init__(self, *, cookies: bool = True) -> None:
        self.jar = http.cookiejar.CookieJar()
        handlers = [urllib.request.HTTPCookieProcessor(self.jar)] if cookies else []
        self.opener = urllib.request.build_opener(*handlers)

    def open(self, url: str, data: dict | None = None, timeout=30) -> Answer:
        body = None
        request = urllib.request.Request(url)  # noqa: S310 - loopback
        if data is not None:
            token = next((c.value for c in self.jar if c.name == "csrftoken"), "")
            body = urllib.parse.urlencode(
                {"csrfmiddlewaretoken": token, **data}
            ).encode()
            # What a browser says of a same-origin form post: cart_add checks
            # it (shop.same_origin), since cached pages carry no CSRF cookie.
            parts = urllib.parse.urlsplit(url)
            request.add_header("Origin", f"{parts.scheme}://{parts.netloc}")
            request.add_header("Sec-Fetch-Site", "same-origin")
            request.add_header("Referer", url)
        try:
            with self.opener.open(request, data=body, timeout=timeout) as response:
                text = response.read().decode("utf-8", "replace")
                return Answer(
                    response.status, response.url, text, dict(response.headers)
                )
        except urllib.error.HTTPError as error:
            text = error.read().decode("utf-8", "replace")
            return Answer(error.code, error.url, text, dict(error.headers))

    def get(self, url: str) -> str:
        answer = self.open(url)
        assert answer.status == 200, (url, answer.status)
        return answer.body

    def post(self, url: str, data: dict) -> int:
        return self.open(url, data).status

    def log_in(self, base: str, email: str) -> None:
        self.get(f"{base}/accounts/login/")
        answer = self.open(
            f"{base}/accounts/login/", {"login": email, "password": PASSWORD}
        )
        assert answer.status == 200 and "/accounts/login/" not in answer.url, answer.url


def _first_variant(buyer: Buyer, base: str) -> tuple[str, str]:
    """A product page linked from the home page, and a variant on sale there."""
    for link in re.findall(r'href="(/[^"#?]+/)"', buyer.get(base + "/")):
        if link.count("/") < 4:
            continue
        html = buyer.get(base + link)
        found = re.findall(r'<option value="([0-9a-f-]{36})"(?! disabled)', html)
        if found:
            return link, found[0]
    raise AssertionError("no product with a variant on sale is linked from home")


def _wait(predicate, seconds: float, what: str):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.5)
    raise AssertionError(f"{what}: not within {seconds} s")


def _ready_to_order(base: str, email: str) -> tuple[Buyer, dict[str, str]]:
    """A new buyer with one item in the cart, and the checkout form filled in."""
    buyer = Buyer()
    _product, variant = _first_variant(buyer, base)
    assert buyer.post(f"{base}/cart/add/", {"variant": variant, "quantity": "1"}) == 200
    html = buyer.get(f"{base}/checkout/")
    fields = form_fields(html, "")
    assert fields.get("checkout_token"), "no checkout form (empty cart?)"
    fields.update(CHECKOUT_DETAILS, email=email)
    return buyer, fields


def _pay(cluster: Cluster, buyer: Buyer, base: str, order_path: str) -> dict:
    """Tokenise the test card at localstripe as Stripe.js would, then post it."""
    card = card_token(cluster.stripe_url, PUBLISHABLE_KEY)
    answer = buyer.open(f"{base}{order_path}pay/card/", {"card": card})
    assert answer.status == 200, answer.body[:500]
    return json.loads(answer.body)


def _order_state(buyer: Buyer, base: str, order_path: str) -> dict:
    return json.loads(buyer.get(f"{base}{order_path}status/"))


def _multipart(fields: dict[str, str], files: dict[str, tuple[str, bytes, str]]):
    """A multipart/form-data body as a browser sends a file upload."""
    boundary = f"----agdb{uuid.uuid4().hex}"
    parts: list[bytes] = []
    for name, value in fields.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
            f"{value}\r\n".encode()
        )
    for name, (filename, content, content_type) in files.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
            f'filename="{filename}"\r\nContent-Type: {content_type}\r\n\r\n'.encode()
            + content
            + b"\r\n"
        )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def _jpeg(colour: tuple[int, int, int]) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (640, 480), colour).save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


def test_media_uploaded_on_one_server_are_served_through_the_other(cluster):
    cluster.revive()
    one, two = cluster.urls
    owner = Buyer()
    owner.log_in(one, OWNER)
    form = owner.get(f"{one}/admin/images/add/")
    assert 'name="file"' in form, "the owner has no image upload form"
    # With one permitted collection Wagtail shows no choice and files the
    # image there; with several it offers a select.
    fields = {"title": f"Proof {uuid.uuid4().hex[:8]}"}
    collection = re.search(
        r'<select name="collection"[^>]*>.*?<option value="(\d+)"', form, re.S
    )
    if collection:
        fields["collection"] = collection[1]
    token = next(c.value for c in owner.jar if c.name == "csrftoken")
    title = fields["title"]
    body, content_type = _multipart(
        {"csrfmiddlewaretoken": token, **fields},
        {"file": ("proof.jpg", _jpeg((200, 120, 40)), "image/jpeg")},
    )
    request = urllib.request.Request(  # noqa: S310 - loopback
        f"{one}/admin/images/add/", data=body, method="POST"
    )
    request.add_header("Content-Type", content_type)
    request.add_header("Referer", f"{one}/admin/images/add/")
    with owner.opener.open(request, timeout=30) as response:
        assert response.status == 200 and "/add/" not in response.url, response.url
    image = json.loads(
        cluster.stack.shell(
            "import json\n"
            "from wagtail.images.models import Image\n"
            f"i = Image.objects.get(title='{title}')\n"
            "print(json.dumps({'pk': i.pk, 'name': i.file.name, 'url': i.file.url}))"
        ).strip()
    )
    # The original went to the bucket, not to a server's disk.
    assert image["url"].startswith(cluster.media_endpoint + "/"), image["url"]
    media_root = ROOT / "test-artifacts" / "two-servers-media"
    assert not (media_root / image["name"]).exists()
    with urllib.request.urlopen(image["url"], timeout=10) as original:  # noqa: S310
        assert original.status == 200
        assert original.read()[:2] == b"\xff\xd8"

    # The second server renders it (reading the original from the bucket)
    # and its rendition lands in the bucket too.
    edit = owner.get(f"{two}/admin/images/{image['pk']}/")
    renditions = re.findall(
        re.escape(cluster.media_endpoint) + r"/[^\"'\s]+/images/[^\"'\s]+", edit
    )
    assert renditions, "the second server showed no rendition from the bucket"
    with urllib.request.urlopen(renditions[0], timeout=10) as rendition:  # noqa: S310
        assert rendition.status == 200
        assert rendition.headers["Content-Type"].startswith("image/")
        assert "max-age=31536000" in rendition.headers.get("Cache-Control", "")


def test_cart_continues_on_the_other_server_even_after_a_kill(cluster):
    cluster.revive()
    one, two = cluster.urls
    buyer = Buyer()
    product, variant = _first_variant(buyer, one)

    assert buyer.post(f"{one}/cart/add/", {"variant": variant, "quantity": "2"}) == 200
    cart_on_two = buyer.get(f"{two}/cart/")
    assert f'value="{variant}"' in cart_on_two

    # Kill the first server outright; the second still has the whole cart.
    cluster.kill(0)
    assert buyer.post(f"{two}/cart/add/", {"variant": variant, "quantity": "1"}) == 200
    cart = buyer.get(f"{two}/cart/")
    quantities = re.findall(r'name="quantity"[^>]*value="(\d+)"', cart)
    assert quantities == ["3"], quantities
    assert cluster.worker.poll() is None, cluster.log("worker")[-2000:]


def test_price_changed_on_one_server_shows_on_the_other_at_once(cluster):
    cluster.revive()
    one, two = cluster.urls
    found = json.loads(
        cluster.stack.shell(
            "import json\n"
            "from brands.models import BrandPage, ProductVariant\n"
            "brand = BrandPage.objects.live().filter(locale__language_code='vi',"
            f" organisation__memberships__user__email='{OWNER}').first()\n"
            "v = ProductVariant.objects.filter(product__path__startswith=brand.path,"
            " is_active=True).order_by('price').first()\n"
            "print(json.dumps({'pk': v.pk, 'brand': brand.url,"
            " 'product': v.product.url, 'price': v.price}))"
        ).strip()
    )
    # Below every price of the brand, so the brand page's "from ..." shows it.
    new_price = found["price"] - 1_000
    shown = f"{new_price:,}".replace(",", ".")

    # Anonymous visitors of the second server are served from the page cache.
    visitor = Buyer(cookies=False)
    for page in (found["brand"], found["product"]):
        visitor.open(f"{two}{page}")
        again = visitor.open(f"{two}{page}")
        assert again.status == 200
        assert shown not in again.body
    cached = visitor.open(f"{two}{found['brand']}")
    assert cached.headers.get("X-Page-Cache") == "hit", cached.headers

    # The brand's owner changes the price in the variant admin of the first.
    owner = Buyer()
    owner.log_in(one, OWNER)
    edit = f"/admin/product_variants/edit/{found['pk']}/"
    fields = form_fields(owner.get(f"{one}{edit}"), edit)
    assert fields.get("sku") and fields.get("price"), fields
    fields["price"] = str(new_price)
    saved = owner.open(f"{one}{edit}", fields)
    # Saved: redirected to the listing. Refused: the form again, with errors.
    assert saved.status == 200 and not saved.url.endswith(edit), (
        fields,
        re.findall(
            r'class="[^"]*error[^"]*"[^>]*>\s*(?:<[^>]+>\s*)*([^<]{3,200})', saved.body
        ),
    )

    for page in (found["brand"], found["product"]):
        answer = visitor.open(f"{two}{page}")
        assert answer.status == 200
        assert shown in answer.body, f"{page} on the other server still stale"


def test_webhook_received_by_one_server_marks_the_order_paid_for_the_other(cluster):
    cluster.revive()
    one, two = cluster.urls
    buyer, form = _ready_to_order(one, "webhook.buyer@example.com")
    placed = buyer.open(f"{one}/checkout/", form)
    assert placed.status == 200 and placed.url.endswith("/pay/"), placed.body[-1500:]
    order_path = urllib.parse.urlsplit(placed.url).path.removesuffix("pay/")
    number = ORDER_NUMBER.search(placed.body).group()

    assert _pay(cluster, buyer, one, order_path)["status"] == "succeeded"
    # localstripe posts the signed event to the second server only; the
    # first one reads the order paid from the shared database.
    _wait(
        lambda: _order_state(buyer, one, order_path)["is_paid"],
        30,
        "order paid as seen by the first server",
    )
    # The access log line follows the webhook's commit (the response is sent
    # after it), so it may lag the order's status by a moment.
    webhook_calls = _wait(
        lambda: [
            line
            for line in cluster.log(f"gunicorn-{cluster.ports[1]}").splitlines()
            if "POST /stripe/webhook/" in line
        ],
        10,
        "the webhook in the second server's access log",
    )
    assert all(" 200 " in line for line in webhook_calls), webhook_calls
    assert "POST /stripe/webhook/" not in cluster.log(f"gunicorn-{cluster.ports[0]}")
    _wait(lambda: number in cluster.emails(), 60, "the worker's receipt email")


def test_server_killed_mid_checkout_loses_nothing(cluster):
    one, two = cluster.urls
    # The order POST must be in flight on the first server when it is killed.
    # A kill landing before the request was sent (refused) or after the answer
    # (a status) proves nothing: try once more, later or sooner.
    delay = 0.05
    for attempt in (1, 2):
        cluster.revive()
        email = f"killed.checkout.{attempt}@example.com"
        buyer, form = _ready_to_order(one, email)
        outcome = _post_then_kill(cluster, buyer, f"{one}/checkout/", form, delay)
        print(f"kill {delay * 1000:.0f} ms into the checkout POST: {outcome}")  # noqa: T201
        if outcome.startswith("dropped"):
            break
        delay = delay * 4 if outcome.startswith("refused") else delay / 4
    else:
        pytest.fail(f"the kill missed the checkout POST twice (last: {outcome})")

    # The buyer resubmits the same form (same checkout token) on the second.
    retried = buyer.open(f"{two}/checkout/", form)
    assert retried.status == 200 and retried.url.endswith("/pay/"), (
        outcome,
        retried.body[-1500:],
    )
    order_path = urllib.parse.urlsplit(retried.url).path.removesuffix("pay/")
    number = ORDER_NUMBER.search(retried.body).group()
    orders = cluster.stack.shell(
        "from shop.models import Order\n"
        f"print(list(Order.objects.filter(email='{email}')"
        ".values_list('number', 'checkout_token')))"
    )
    assert orders.count("AG-") == 1 and number in orders, orders
    assert form["checkout_token"] in orders

    # Paying may wait for a payment claim the killed server left behind.
    paid = _wait(
        lambda: _pay_or_none(cluster, buyer, two, order_path),
        90,
        "the card payment on the second server",
    )
    assert paid["status"] == "succeeded"
    _wait(lambda: _order_state(buyer, two, order_path)["is_paid"], 30, "order paid")
    _wait(lambda: number in cluster.emails(), 60, "the worker's receipt email")
    assert cluster.worker.poll() is None, cluster.log("worker")[-2000:]


def _post_then_kill(
    cluster: Cluster, buyer: Buyer, url: str, data: dict, delay: float
) -> str:
    """Kill the first server ``delay`` seconds into a POST; how the POST ended."""
    outcome: list[str] = []

    def send() -> None:
        try:
            outcome.append(f"answered {buyer.open(url, data).status}")
        except urllib.error.URLError as error:
            kind = (
                "refused"
                if isinstance(error.reason, ConnectionRefusedError)
                else "dropped"
            )
            outcome.append(f"{kind}: {error!r}")
        except (OSError, http.client.HTTPException) as error:
            outcome.append(f"dropped: {error!r}")

    sender = threading.Thread(target=send)
    sender.start()
    time.sleep(delay)
    cluster.kill(0)
    sender.join(timeout=60)
    assert outcome, "the checkout POST still hangs a minute after the kill"
    return outcome[0]


def _pay_or_none(cluster: Cluster, buyer: Buyer, base: str, order_path: str):
    buyer.get(f"{base}{order_path}pay/")  # the pay page starts the PaymentIntent
    try:
        return _pay(cluster, buyer, base, order_path)
    except AssertionError:
        return None


# --- Load: the 60-second CI version of bench/load.py ------------------------------

LOAD_USERS = 4
LOAD_SECONDS = 60


def test_a_minute_of_mixed_load_has_no_error(cluster):
    """bench/load.py (80 % pages and search, 15 % cart, 5 % checkout and
    payment through localstripe) against the first server: any error fails.
    The p95 targets are the 5-minute bench's business, not a shared CI box's."""
    cluster.revive()
    result = subprocess.run(
        [
            sys.executable,
            "bench/load.py",
            f"--base-url={cluster.urls[0]}",
            f"--users={LOAD_USERS}",
            f"--seconds={LOAD_SECONDS}",
            "--no-targets",
            "--crawl=8",  # a quick start: CI time is for the load itself
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=LOAD_SECONDS + 300,
    )
    print(result.stdout)  # noqa: T201 - the figures, in CI's log
    assert result.returncode == 0, result.stdout + result.stderr
    assert "errors=0" in result.stdout
    assert re.search(r"^orders paid: [1-9]", result.stdout, re.M), result.stdout
