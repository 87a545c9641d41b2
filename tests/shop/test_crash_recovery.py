"""Crash recovery for real: the app's worker is SIGKILLed at each step of placing
and paying, and ONE reconciliation run must leave the books right.

Each test serves the real app with gunicorn (one worker) on the test database,
with localstripe over HTTP as Stripe, and ONE fault installed in that process
by ``crash_app.py``: the worker kills itself right after a real step did its
work.

- ``order-insert``: the order row is inserted, its transaction still open;
- ``order-commit``: ``order_place()`` committed, Stripe not asked for anything;
- ``intent-created``: the PaymentIntent exists at Stripe, its id is not saved;
- ``card-confirmed``: Stripe charged the card, the browser gets no answer;
- ``webhook-before-commit``: the webhook applied "paid" (stock sold, ledger
  booked, event recorded) in a transaction that never commits;
- ``webhook-after-commit``: "paid" is committed, the emails not yet queued.

gunicorn starts a new worker: the restarted app. The buyer (urllib with a
cookie jar) goes on as a browser would: resubmits the form, reloads the pay
page, pays with a card at localstripe, or walks away. Time moves on by moving
the orders' timestamps back (10 minutes for reconciliation to look at them, or
past their stock hold), then ``manage.py shop_reconcile`` runs once, in its own
process, as cron runs it in production. Then ``assert_books_balance``:

- no order is left unpaid while a PaymentIntent naming it succeeded at Stripe,
  and none was charged twice;
- nothing happened twice: one receipt, one set of ledger rows, stock sold once
  (also after Stripe redelivers the event the dead worker never acknowledged);
- no stock is held past its expiry, and on-hand and reserved counts match the
  reservations.
"""

from __future__ import annotations

import email
import http.client
import http.cookiejar
import json
import os
import re
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from datetime import timedelta
from email.header import decode_header, make_header
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.db.models import F, Sum
from django.utils import timezone

from shop.emails import organisation_recipients
from shop.models import (
    CartLine,
    Order,
    PayableEntry,
    PaymentStatus,
    ProcessedStripeEvent,
    StockRecord,
    StockReservation,
)
from shop.payments.gateway import webhook_signature_header
from tests.livestack import (
    BIN,
    Stack,
    free_port,
    redis_env,
    same_database_env,
    wait_http,
)

from .conftest import (
    CHECKOUT_FIELDS,
    WEBHOOK_SECRET,
    card_token,
    stripe_api,
    wait_for,
)

pytestmark = [
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.filterwarnings("ignore::DeprecationWarning:aiohttp.*"),
    pytest.mark.timeout(180),
]

# Apart from the browser stacks' 8700-8799, so both can run at once.
CRASH_PORTS = range(8820, 8830)
CRASH_REDIS_DB = 12
# What the buyer's browser sees when the worker dies under its request.
CONNECTION_LOST = (urllib.error.URLError, http.client.HTTPException, ConnectionError)

RECONCILE_LATER = timedelta(minutes=settings.SHOP_RECONCILE_AFTER_MINUTES + 1)
HOLD_LAPSED = timedelta(minutes=settings.SHOP_RESERVATION_MINUTES + 1)


# --- The app with its fault, and the buyer ------------------------------------------


@dataclass
class CrashApp:
    step: str
    stack: Stack
    url: str
    marker: Path
    mail_dir: Path
    server: object

    def wait_until_killed(self, seconds: float = 20) -> int:
        """The pid of the worker that died at the step (gunicorn saw a SIGKILL)."""
        assert wait_for(self.marker.exists, seconds), f"{self.step}: no crash"
        step, pid, in_transaction = self.marker.read_text().split()
        assert step == self.step
        expected = self.step in ("order-insert", "webhook-before-commit")
        assert bool(int(in_transaction)) is expected, "killed at the wrong point"
        log = Path(self.stack.logs[0].name)
        assert wait_for(
            lambda: f"Worker (pid:{pid}) was sent SIGKILL" in log.read_text()
        ), log.read_text()[-3000:]
        # The database saw the dead worker go: no transaction of it stays open.
        assert wait_for(lambda: _transactions_open_elsewhere() == 0)
        # gunicorn forks a new worker (the restarted app) in place of the dead one.
        wait_http(f"{self.url}/healthz", self.server)
        return int(pid)

    def reconcile(self) -> dict[str, int]:
        """One `manage.py shop_reconcile` with production's default age, as cron runs it."""
        output = self.stack.manage("shop_reconcile").stdout
        return {key: int(value) for key, value in re.findall(r"(\w+)=(\d+)", output)}

    def emails_about(self, order: Order) -> list[str]:
        """Subjects of the emails any process of this app sent about ``order``."""
        subjects = []
        for path in sorted(self.mail_dir.glob("*.log")):
            for chunk in path.read_bytes().split(b"\n" + b"-" * 79 + b"\n"):
                if chunk.strip():
                    message = email.message_from_bytes(chunk)
                    subjects.append(str(make_header(decode_header(message["Subject"]))))
        return [subject for subject in subjects if order.number in subject]


def _transactions_open_elsewhere() -> int:
    """PostgreSQL sessions on this database inside a transaction, other than ours
    (on SQLite, the lock dies with the process and a reader never waits)."""
    if connection.vendor != "postgresql":
        return 0
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
            " AND pid <> pg_backend_pid() AND state LIKE 'idle in transaction%'"
        )
        return cursor.fetchone()[0]


@pytest.fixture
def serve(tmp_path, stripe_settings, localstripe_server, catalogue):
    """Start the app with the fault for a step; stopped (by PID) after the test."""
    import localstripe_server as harness

    stacks: list[Stack] = []

    def start(step: str) -> CrashApp:
        mail_dir = tmp_path / "mail"
        mail_dir.mkdir()
        env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("DJANGO_", "STRIPE_", "PYTEST_"))
        }
        env.update(same_database_env())
        env.update(redis_env(CRASH_REDIS_DB))
        env.update(
            DJANGO_SETTINGS_MODULE="config.settings.e2e",
            EMAIL_URL=f"filemail:///{mail_dir}",
            DJANGO_MEDIA_ROOT=str(tmp_path / "media"),
            STRIPE_SECRET_KEY=stripe_settings.STRIPE_SECRET_KEY,
            STRIPE_PUBLISHABLE_KEY=stripe_settings.STRIPE_PUBLISHABLE_KEY,
            STRIPE_WEBHOOK_SECRET=WEBHOOK_SECRET,
            STRIPE_API_BASE=localstripe_server.base_url,
            STRIPE_JS_URL=stripe_settings.STRIPE_JS_URL,
            PYTHONUNBUFFERED="1",
        )
        stack = Stack(label=f"crash-{step}", env=env, log_dir=tmp_path)
        stacks.append(stack)
        port = free_port(ports=CRASH_PORTS)
        marker = tmp_path / "crashed"
        server = stack.spawn(
            "gunicorn",
            [
                str(BIN / "gunicorn"),
                f"tests.shop.crash_app:build({step!r}, {str(marker)!r})",
                # Loaded once, before the fork: a replacement worker is up in
                # a moment, as a process manager would restart the app.
                "--preload",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "1",
                "--threads",
                "4",
                "--graceful-timeout",
                "5",
            ],
        )
        url = f"http://127.0.0.1:{port}"
        # Our gunicorn holds the port (another run may have picked it at the
        # same moment; its server must not answer for ours).
        log = Path(stack.logs[0].name)
        assert wait_for(lambda: f"Listening at: {url} " in log.read_text(), 60), (
            log.read_text()[-2000:]
        )
        wait_http(f"{url}/healthz", server)
        # localstripe posts its signed events to this app (registrations are
        # kept by name: this replaces the previous test's).
        harness.register_webhook(
            base_url=localstripe_server.base_url,
            url=f"{url}/stripe/webhook/",
            secret=WEBHOOK_SECRET,
            name="e2e",
        )
        return CrashApp(step, stack, url, marker, mail_dir, server)

    yield start
    for stack in stacks:
        stack.close()


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Buyer:
    """A browser: cookies, the CSRF token, redirects reported rather than followed."""

    def __init__(self, app: CrashApp) -> None:
        self.base = app.url
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), _NoRedirects()
        )

    def open(self, path: str, data: dict | None = None) -> tuple[int, str, str]:
        """(status, Location, body); a dropped connection raises CONNECTION_LOST."""
        body = None
        if data is not None:
            token = next((c.value for c in self.jar if c.name == "csrftoken"), "")
            fields = {**data, "csrfmiddlewaretoken": token}
            body = urllib.parse.urlencode(fields).encode()
        request = urllib.request.Request(self.base + path, data=body)  # noqa: S310
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status, "", response.read().decode()
        except urllib.error.HTTPError as error:
            text = error.read().decode("utf-8", "replace")
            return error.code, error.headers.get("Location", ""), text

    def open_checkout(self, catalogue) -> dict[str, str]:
        """Fill the cart with two brands' products; the checkout form as filled in."""
        self.open("/accounts/login/")  # any page with a form gives the CSRF cookie
        for variant, quantity in ((catalogue["rice"], 2), (catalogue["sauce"], 1)):
            status, _location, _body = self.open(
                "/cart/add/",
                {"variant": str(variant.public_id), "quantity": str(quantity)},
            )
            assert status == 302, status
        status, _location, html = self.open("/checkout/")
        assert status == 200, status
        return {
            "checkout_token": re.search(
                r'name="checkout_token" value="([0-9a-f-]{36})"', html
            ).group(1),
            "expected_total": re.search(
                r'name="expected_total" value="(\d+)"', html
            ).group(1),
            **CHECKOUT_FIELDS,
        }

    def place(self, form: dict[str, str]) -> str:
        """Submit the checkout form; the order's UUID from the redirect to its pay page."""
        status, location, _body = self.open("/checkout/", form)
        assert status == 302, status
        return re.search(r"/orders/([0-9a-f-]{36})/pay/", location).group(1)

    def pay_page_offers_card(self, public_id: str) -> bool:
        status, _location, html = self.open(f"/orders/{public_id}/pay/")
        assert status == 200, status
        return 'id="payment-form"' in html

    def pay(self, public_id: str, card: str) -> str:
        """What Stripe.js + shop-pay.js do: post the tokenised card; Stripe's status."""
        status, _location, body = self.open(
            f"/orders/{public_id}/pay/card/", {"card": card}
        )
        assert status == 200, (status, body)
        return json.loads(body)["status"]


# --- Time and the books --------------------------------------------------------------


def clock_forward(delta: timedelta) -> None:
    """Let ``delta`` pass for the orders: every timestamp the jobs compare with
    "now" moves back by it (the processes' clocks cannot be moved)."""
    Order.objects.update(
        created_at=F("created_at") - delta,
        reserved_until=F("reserved_until") - delta,
        payment_claimed_at=F("payment_claimed_at") - delta,
        paid_at=F("paid_at") - delta,
    )
    StockReservation.objects.update(expires_at=F("expires_at") - delta)


def intents_at_stripe(settings, order: Order) -> list[dict]:
    """Every PaymentIntent at localstripe whose metadata names ``order``."""
    listing = stripe_api(settings).v1.payment_intents.list(params={"limit": 100})
    intents = [intent.to_dict() for intent in listing.auto_paging_iter()]
    return [
        intent
        for intent in intents
        if (intent.get("metadata") or {}).get("order_uuid") == str(order.public_id)
    ]


def assert_books_balance(app: CrashApp, settings, on_hand: dict[int, int]) -> None:
    now = timezone.now()
    for order in Order.objects.all():
        succeeded = [
            i for i in intents_at_stripe(settings, order) if i["status"] == "succeeded"
        ]
        assert len(succeeded) <= 1, f"{order.number} charged twice"
        lines = list(order.lines.all())
        fulfilments = list(order.fulfilments.select_related("organisation"))
        entries = PayableEntry.objects.filter(order=order)
        reservations = StockReservation.objects.filter(order=order)
        if succeeded:
            # Paid at Stripe: paid here, with every effect exactly once.
            assert order.payment_status == PaymentStatus.PAID, order.payment_status
            assert order.payment_intent_id == succeeded[0]["id"]
            assert entries.filter(kind="sale").count() == len(lines)
            assert entries.filter(kind="sale").aggregate(s=Sum("amount"))["s"] == (
                order.subtotal
            )
            shipping = entries.filter(kind="shipping").aggregate(s=Sum("amount"))["s"]
            assert (shipping or 0) == order.shipping_total
            assert reservations.count() == len(lines)
            assert set(reservations.values_list("status", flat=True)) == {"sold"}
            expected_emails = 1 + sum(
                1
                for f in fulfilments
                if organisation_recipients(organisation=f.organisation)
            )
            assert len(app.emails_about(order)) == expected_emails
        else:
            assert order.payment_status != PaymentStatus.PAID
            assert not entries.exists()
            assert not reservations.filter(status="sold").exists()
            assert app.emails_about(order) == []
    # No hold outlives its expiry.
    assert not StockReservation.objects.filter(
        status="held", expires_at__lte=now
    ).exists()
    assert not Order.objects.filter(
        payment_status__in=["pending", "failed"], reserved_until__lte=now
    ).exists()
    # On hand and reserved are what the reservations say, for every variant.
    for record in StockRecord.objects.all():
        mine = StockReservation.objects.filter(stock=record)
        sold = mine.filter(status="sold").aggregate(s=Sum("quantity"))["s"] or 0
        held = mine.filter(status="held").aggregate(s=Sum("quantity"))["s"] or 0
        assert record.quantity_on_hand == on_hand[record.pk] - sold, record.variant_id
        assert record.quantity_reserved == held, record.variant_id


@pytest.fixture
def on_hand(catalogue) -> dict[int, int]:
    return dict(StockRecord.objects.values_list("pk", "quantity_on_hand"))


def _only_order() -> Order:
    orders = list(Order.objects.all())
    assert len(orders) == 1, orders
    return orders[0]


# --- The buyer's ways on, and the one reconciliation run ---------------------------


def crash_while_placing(serve, step: str, catalogue) -> tuple[CrashApp, Buyer, dict]:
    """The buyer submits the checkout form and the worker dies under the request."""
    app = serve(step)
    buyer = Buyer(app)
    form = buyer.open_checkout(catalogue)
    with pytest.raises(CONNECTION_LOST):
        buyer.place(form)
    app.wait_until_killed()
    return app, buyer, form


def pay_then_reconcile(app: CrashApp, buyer: Buyer, public_id: str, settings) -> None:
    """Pay on the restarted app (its webhook marks paid), then the cron run finds
    nothing left to repair."""
    assert buyer.pay_page_offers_card(public_id)
    assert buyer.pay(public_id, card_token(settings)) == "succeeded"
    assert wait_for(lambda: _only_order().payment_status == PaymentStatus.PAID)
    clock_forward(RECONCILE_LATER)
    report = app.reconcile()
    assert (report["paid"], report["expired"], report["errors"]) == (0, 0, 0)


def walk_away_then_reconcile(app: CrashApp) -> None:
    """Nobody pays; after the stock hold the cron run expires the order."""
    clock_forward(HOLD_LAPSED)
    report = app.reconcile()
    assert (report["expired"], report["errors"]) == (1, 0)
    assert _only_order().payment_status == PaymentStatus.EXPIRED
    assert set(StockReservation.objects.values_list("status", flat=True)) == {
        "released"
    }


# --- (a) the order insert, and its commit ------------------------------------------


def test_killed_after_the_order_insert_rolls_back_and_the_resubmit_places_one_order(
    serve, stripe_settings, catalogue, on_hand
):
    app, buyer, form = crash_while_placing(serve, "order-insert", catalogue)

    # The transaction died with the worker: no order, no hold, the cart intact.
    assert not Order.objects.exists()
    assert not StockReservation.objects.exists()
    assert set(StockRecord.objects.values_list("quantity_reserved", flat=True)) == {0}
    assert CartLine.objects.count() == 2

    # The browser resubmits the same form to the restarted app: one order.
    public_id = buyer.place(form)
    assert buyer.place(form) == public_id
    pay_then_reconcile(app, buyer, public_id, stripe_settings)
    assert_books_balance(app, stripe_settings, on_hand)


@pytest.mark.parametrize("buyer_returns", [True, False], ids=["returns", "leaves"])
def test_killed_after_the_order_commit(
    serve, stripe_settings, catalogue, on_hand, buyer_returns
):
    app, buyer, form = crash_while_placing(serve, "order-commit", catalogue)

    order = _only_order()
    assert (order.payment_status, order.payment_intent_id) == ("pending", None)
    assert StockRecord.objects.aggregate(s=Sum("quantity_reserved"))["s"] == 3

    if buyer_returns:
        # The browser resubmits: the same order, which now gets its PaymentIntent.
        assert buyer.place(form) == str(order.public_id)
        pay_then_reconcile(app, buyer, str(order.public_id), stripe_settings)
    else:
        walk_away_then_reconcile(app)
    assert Order.objects.count() == 1
    assert_books_balance(app, stripe_settings, on_hand)


# --- (b) the PaymentIntent created, its id not saved -----------------------------------


@pytest.mark.parametrize("buyer_returns", [True, False], ids=["returns", "leaves"])
def test_killed_after_creating_the_payment_intent(
    serve, stripe_settings, catalogue, on_hand, buyer_returns
):
    app, buyer, _form = crash_while_placing(serve, "intent-created", catalogue)

    order = _only_order()
    assert order.payment_intent_id is None
    assert order.payment_claimed_at is not None
    (orphan,) = intents_at_stripe(stripe_settings, order)
    assert orphan["status"] == "requires_payment_method"

    if buyer_returns:
        # Within the claim window the pay page waits (it refreshes itself) ...
        assert not buyer.pay_page_offers_card(str(order.public_id))
        # ... then the crashed claim is stale and the restarted app asks Stripe
        # again with the same idempotency key (Stripe answers with the same
        # PaymentIntent; localstripe ignores keys and makes a second one).
        clock_forward(timedelta(seconds=settings.SHOP_PAYMENT_CLAIM_SECONDS + 1))
        pay_then_reconcile(app, buyer, str(order.public_id), stripe_settings)
    else:
        walk_away_then_reconcile(app)
    # The orphan was never confirmable (its client secret never left the
    # server), so it can never take the buyer's money.
    orphan = stripe_api(stripe_settings).v1.payment_intents.retrieve(orphan["id"])
    assert orphan.status == "requires_payment_method"
    assert_books_balance(app, stripe_settings, on_hand)


def crash_while_paying(serve, step: str, catalogue, settings) -> tuple[CrashApp, Order]:
    """The card is charged at Stripe; its webhook reaches the app and kills it."""
    app = serve(step)
    buyer = Buyer(app)
    public_id = buyer.place(buyer.open_checkout(catalogue))
    assert buyer.pay(public_id, card_token(settings)) == "succeeded"
    app.wait_until_killed()
    return app, _only_order()


def test_killed_after_stripe_charged_the_card_the_retry_is_told_and_charged_once(
    serve, stripe_settings, catalogue, on_hand
):
    app = serve("card-confirmed")
    buyer = Buyer(app)
    public_id = buyer.place(buyer.open_checkout(catalogue))
    with pytest.raises(CONNECTION_LOST):
        buyer.pay(public_id, card_token(stripe_settings))
    app.wait_until_killed()

    # The buyer tries again (its webhook may or may not have come yet): told
    # the payment went through, never "declined", and not charged again.
    assert buyer.pay(public_id, card_token(stripe_settings)) == "succeeded"
    clock_forward(RECONCILE_LATER)
    report = app.reconcile()
    assert report["errors"] == 0
    assert _only_order().payment_status == PaymentStatus.PAID
    assert_books_balance(app, stripe_settings, on_hand)


# --- (c) inside the webhook, before its commit ----------------------------------------


def test_killed_inside_the_webhook_before_commit_reconciliation_marks_paid_once(
    serve, stripe_settings, catalogue, on_hand
):
    app, order = crash_while_paying(
        serve, "webhook-before-commit", catalogue, stripe_settings
    )
    assert order.payment_status == PaymentStatus.PENDING
    assert not ProcessedStripeEvent.objects.exists()
    assert not PayableEntry.objects.exists()
    assert StockRecord.objects.aggregate(s=Sum("quantity_reserved"))["s"] == 3
    assert app.emails_about(order) == []
    (intent,) = intents_at_stripe(stripe_settings, order)
    assert intent["status"] == "succeeded"

    clock_forward(RECONCILE_LATER)
    report = app.reconcile()
    assert (report["checked"], report["paid"], report["errors"]) == (1, 1, 0)
    assert_books_balance(app, stripe_settings, on_hand)

    # Stripe retries the delivery the dead worker never answered: acknowledged,
    # and nothing happens a second time.
    events = stripe_api(stripe_settings).v1.events.list(
        params={"type": "payment_intent.succeeded"}
    )
    (event,) = [e for e in events.data if e.data.object.id == intent["id"]]
    payload = json.dumps(event.to_dict())
    header = webhook_signature_header(
        payload=payload, secret=WEBHOOK_SECRET, timestamp=int(time.time())
    )
    request = urllib.request.Request(  # noqa: S310 - loopback
        f"{app.url}/stripe/webhook/",
        data=payload.encode(),
        headers={"Stripe-Signature": header, "Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
        assert response.status == 200
    assert_books_balance(app, stripe_settings, on_hand)


def test_killed_after_the_webhook_commit_reconciliation_sends_the_emails_once(
    serve, stripe_settings, catalogue, on_hand
):
    app, order = crash_while_paying(
        serve, "webhook-after-commit", catalogue, stripe_settings
    )
    # Paid, stock sold, ledger booked: all committed. The receipt and the
    # brands' notices died with the worker before they were queued.
    assert order.payment_status == PaymentStatus.PAID
    assert app.emails_about(order) == []

    clock_forward(RECONCILE_LATER)
    report = app.reconcile()
    assert (report["paid"], report["notified"], report["errors"]) == (0, 1, 0)
    assert_books_balance(app, stripe_settings, on_hand)
    # Marked sent: a later run owes nothing more.
    assert _only_order().paid_emails_sent_at is not None
