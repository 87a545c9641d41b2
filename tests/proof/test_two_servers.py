"""More than one app server: two gunicorn processes on different loopback ports
over the same PostgreSQL and Redis, plus the task worker (PostgreSQL only).

A buyer's cart started on one server continues on the other, and survives the
first server being killed mid-way (SIGKILL: no graceful shutdown).
"""

from __future__ import annotations

import http.cookiejar
import re
import signal
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from tests.livestack import BIN, free_port, new_stack

pytestmark = [pytest.mark.postgres, pytest.mark.timeout(900)]


class Buyer:
    """One browser's cookie jar, talking to whichever server it is given."""

    def __init__(self) -> None:
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar)
        )

    def get(self, url: str) -> str:
        with self.opener.open(url, timeout=30) as response:
            return response.read().decode("utf-8", "replace")

    def post(self, url: str, data: dict) -> int:
        token = next((c.value for c in self.jar if c.name == "csrftoken"), "")
        body = urllib.parse.urlencode({**data, "csrfmiddlewaretoken": token}).encode()
        request = urllib.request.Request(url, data=body)  # noqa: S310 - loopback
        request.add_header("Referer", url)
        # As a browser does on every POST: cart_add checks it (shop.same_origin),
        # since cached product pages carry no CSRF cookie.
        request.add_header("Origin", "/".join(url.split("/")[:3]))
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code


@pytest.fixture(scope="module")
def two_servers(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        stack = new_stack("two-servers", redis_db=10)
    stack.env["DJANGO_TASKS_BACKEND"] = "database"
    taken: set[int] = set()
    ports = [free_port(taken), free_port(taken)]
    try:
        servers = [stack.gunicorn(port) for port in ports]
        worker = stack.spawn(
            "worker", [str(BIN / "python"), "manage.py", "db_worker", "--interval", "1"]
        )
        yield stack, [f"http://127.0.0.1:{port}" for port in ports], servers, worker
    finally:
        stack.close()


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


def test_cart_continues_on_the_other_server_even_after_a_kill(two_servers):
    stack, (one, two), servers, worker = two_servers
    buyer = Buyer()
    product, variant = _first_variant(buyer, one)

    assert buyer.post(f"{one}/cart/add/", {"variant": variant, "quantity": "2"}) == 200
    cart_on_two = buyer.get(f"{two}/cart/")
    assert f'value="{variant}"' in cart_on_two

    # Kill the first server outright; the second still has the whole cart.
    stack.stop(servers[0], signal.SIGKILL)
    assert buyer.post(f"{two}/cart/add/", {"variant": variant, "quantity": "1"}) == 200
    cart = buyer.get(f"{two}/cart/")
    quantities = re.findall(r'name="quantity"[^>]*value="(\d+)"', cart)
    assert quantities == ["3"], quantities
    assert worker.poll() is None, Path(stack.logs[-1].name).read_text()[-2000:]
