"""Cash on delivery: placing, each brand's steps, stock, ledger, display, emails.

Orders are placed through ``order_place(payment_method=COD)`` (the checkout
UI that chooses COD is another branch's); brands move their parts through
the Wagtail admin or ``services.cod`` directly.
"""

from __future__ import annotations

import uuid
from datetime import timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from organisations.models import Membership
from organisations.services import province_staff_group_ensure
from shop import money
from shop.errors import CodNotAllowed, CodShippingDetailsMissing, InvalidOrderStatus
from shop.models import (
    FulfilmentStatus,
    Order,
    OrderFulfilment,
    PayableEntry,
    PaymentMethod,
    PaymentStatus,
    StockRecord,
    StockReservation,
)
from shop.selectors import paid_orders_by_period
from shop.services import cod
from shop.services import fulfilment as fulfilment_services
from shop.services import orders as order_services
from shop.services.jobs import orders_expire
from tests.factories import UserFactory, member, onboarded_organisation
from tests.factories import shop as shop_factories

from .conftest import DETAILS, filled_cart, place
from .test_concurrency import IS_POSTGRES, run_concurrently
from .webhook_helpers import pi_event, send

pytestmark = pytest.mark.django_db

C, S, D = (
    FulfilmentStatus.CONFIRMED,
    FulfilmentStatus.SHIPPED,
    FulfilmentStatus.DELIVERED,
)
X, R = FulfilmentStatus.CANCELLED, FulfilmentStatus.RETURNED


def place_cod(items: dict, *, language: str = "vi", token=None) -> Order:
    cart = filled_cart(items)
    # The confirmation goes out on commit; inside a test transaction run it.
    with TestCase.captureOnCommitCallbacks(execute=True):
        return order_services.order_place(
            cart=cart,
            checkout_token=token or uuid.uuid4(),
            details=DETAILS,
            user=None,
            language=language,
            expected_total=None,
            payment_method=PaymentMethod.COD,
        )


@pytest.fixture
def houses(db, settings):
    settings.SHOP_PLATFORM_FEE_BASIS_POINTS = 500
    org_a = onboarded_organisation()
    org_b = onboarded_organisation()
    brand_a = shop_factories.brand(organisation=org_a, flat_fee=30_000)
    brand_b = shop_factories.brand(organisation=org_b, flat_fee=25_000, free_over=None)
    return {
        "org_a": org_a,
        "org_b": org_b,
        "rice": shop_factories.variant(brand_page=brand_a, price=150_000, on_hand=10),
        "sauce": shop_factories.variant(brand_page=brand_b, price=120_000, on_hand=4),
        "owner_a": member(org_a, Membership.Role.OWNER),
        "editor_a": member(org_a, Membership.Role.EDITOR),
        "editor_b": member(org_b, Membership.Role.EDITOR),
    }


@pytest.fixture
def cod_order(houses):
    order = place_cod({houses["rice"]: 2, houses["sauce"]: 1})
    return {
        **houses,
        "order": order,
        "part_a": OrderFulfilment.objects.get(
            order=order, organisation=houses["org_a"]
        ),
        "part_b": OrderFulfilment.objects.get(
            order=order, organisation=houses["org_b"]
        ),
    }


def stock_of(variant) -> tuple[int, int]:
    record = StockRecord.objects.get(variant=variant)
    return record.quantity_on_hand, record.quantity_reserved


def step(ctx, part: str, to: str, user: str | None = None, **kwargs):
    user_key = user or ("editor_a" if part == "part_a" else "editor_b")
    return cod.cod_part_step(
        fulfilment=ctx[part], step=to, user=ctx[user_key], **kwargs
    )


SHIP = {"carrier": "GHTK", "tracking_number": "S123456"}


# --- Placing ---------------------------------------------------------------------


def test_cod_order_holds_its_stock_and_needs_no_payment(cod_order, settings):
    order = cod_order["order"]
    order.refresh_from_db()
    assert order.payment_method == PaymentMethod.COD
    assert order.payment_status == PaymentStatus.PENDING
    assert not order.is_payable  # nothing to pay online
    assert order.payment_intent_id is None and order.paid_at is None
    assert stock_of(cod_order["rice"]) == (10, 2)
    assert stock_of(cod_order["sauce"]) == (4, 1)
    held = StockReservation.objects.filter(order=order)
    assert {r.status for r in held} == {StockReservation.Status.HELD}
    # The hold is the brands' time to confirm, not a card's 30 minutes.
    hours = settings.SHOP_COD_CONFIRM_HOURS
    assert order.reserved_until - order.created_at > timedelta(hours=hours - 1)


def test_cod_confirmation_email_in_the_buyers_language(houses):
    vi_order = place_cod({houses["rice"]: 1})
    buyer = [m for m in mail.outbox if m.to == [DETAILS.email]]
    assert len(buyer) == 1
    assert vi_order.number in buyer[0].subject
    assert "thanh toán khi nhận hàng" in buyer[0].subject.lower()
    assert "Trả cho người giao hàng" in buyer[0].body
    # The brand is told to confirm (in the admin's Vietnamese).
    assert any(houses["editor_a"].email in m.to for m in mail.outbox)
    mail.outbox.clear()
    en_order = place_cod({houses["rice"]: 1}, language="en")
    buyer = [m for m in mail.outbox if m.to == [DETAILS.email]]
    assert buyer[0].subject == f"Order {en_order.number}: pay cash on delivery"
    assert "Pay the courier" in buyer[0].body
    assert Order.objects.get(pk=en_order.pk).paid_emails_sent_at is not None
    # A repeated delivery (reconciliation re-queueing) sends nothing more.
    from shop.emails import order_cod_emails_deliver

    assert order_cod_emails_deliver(order_id=en_order.pk) == 0


def test_a_double_submit_sends_one_confirmation(houses):
    token = uuid.uuid4()
    first = place_cod({houses["rice"]: 1}, token=token)
    second = place_cod({houses["rice"]: 1}, token=token)
    assert first.pk == second.pk
    assert len([m for m in mail.outbox if m.to == [DETAILS.email]]) == 1


# --- Each step -------------------------------------------------------------------


def test_confirm_ship_collect_commits_stock_and_pays_the_part(cod_order):
    order = cod_order["order"]
    assert step(cod_order, "part_a", C).changed
    with pytest.raises(CodShippingDetailsMissing):
        step(cod_order, "part_a", S)
    shipped = step(cod_order, "part_a", S, **SHIP).fulfilment
    assert (shipped.carrier, shipped.tracking_number) == ("GHTK", "S123456")
    result = step(cod_order, "part_a", D)
    assert result.changed and result.fee_booked == 15_000
    part_a = result.fulfilment
    assert part_a.cash_collected_at is not None
    assert part_a.get_payment_state_display() == "Đã giao, đã thu tiền"
    # Only brand A's units are sold; B's are still held.
    assert stock_of(cod_order["rice"]) == (8, 0)
    assert stock_of(cod_order["sauce"]) == (4, 1)
    order.refresh_from_db()
    assert order.payment_status == PaymentStatus.PARTIALLY_PAID
    assert order.paid_at is not None
    first_paid_at = order.paid_at
    for to in (C, S):
        step(cod_order, "part_b", to, **SHIP)
    step(cod_order, "part_b", D)
    order.refresh_from_db()
    assert order.payment_status == PaymentStatus.PAID
    assert order.paid_at == first_paid_at
    assert stock_of(cod_order["sauce"]) == (3, 0)


def test_repeating_a_step_is_harmless(cod_order):
    for to in (C, S):
        step(cod_order, "part_a", to, **SHIP)
    assert step(cod_order, "part_a", D).changed
    again = step(cod_order, "part_a", D)
    assert not again.changed and again.fee_booked == 0
    assert stock_of(cod_order["rice"]) == (8, 0)
    assert PayableEntry.objects.filter(kind=PayableEntry.Kind.COD_FEE).count() == 1


@pytest.mark.parametrize(
    ("path", "bad"),
    [
        ((), D),  # collected before it was shipped
        ((), S),  # shipped before it was confirmed
        ((), R),  # returned before it was shipped
        ((C, S), X),  # cancelled once on the road: it is refused, not cancelled
        ((C, S, D), R),  # the cash is collected: no refusal any more
        ((X,), C),  # cancelled is final
        ((C, S, R), D),  # returned is final
    ],
)
def test_impossible_steps_are_refused_and_change_nothing(cod_order, path, bad):
    for to in path:
        step(cod_order, "part_a", to, **SHIP)
    before = OrderFulfilment.objects.get(pk=cod_order["part_a"].pk).status
    held = stock_of(cod_order["rice"])
    with pytest.raises(InvalidOrderStatus):
        step(cod_order, "part_a", bad, **SHIP)
    assert OrderFulfilment.objects.get(pk=cod_order["part_a"].pk).status == before
    assert stock_of(cod_order["rice"]) == held


def test_cancel_before_shipping_releases_once(cod_order):
    assert stock_of(cod_order["rice"]) == (10, 2)
    first = step(cod_order, "part_a", X)
    assert first.changed and first.released == 1
    assert stock_of(cod_order["rice"]) == (10, 0)
    second = step(cod_order, "part_a", X)
    assert not second.changed and second.released == 0
    assert stock_of(cod_order["rice"]) == (10, 0)
    order = Order.objects.get(pk=cod_order["order"].pk)
    assert order.payment_status == PaymentStatus.PENDING  # B's part is open
    step(cod_order, "part_b", X)
    order.refresh_from_db()
    assert order.payment_status == PaymentStatus.CANCELLED
    assert stock_of(cod_order["sauce"]) == (4, 0)


def test_refused_at_the_door_restocks_once(cod_order):
    for to in (C, S):
        step(cod_order, "part_a", to, **SHIP)
    assert stock_of(cod_order["rice"]) == (10, 2)
    returned = step(cod_order, "part_a", R)
    assert returned.released == 1
    # Back on the shelf for other buyers: 10 available again.
    assert stock_of(cod_order["rice"]) == (10, 0)
    assert not step(cod_order, "part_a", R).changed
    assert stock_of(cod_order["rice"]) == (10, 0)
    for to in (C, S, D):
        step(cod_order, "part_b", to, **SHIP)
    order = Order.objects.get(pk=cod_order["order"].pk)
    assert order.payment_status == PaymentStatus.PARTIALLY_PAID
    # Nothing is booked for the refused part; B owes its fee.
    assert not PayableEntry.objects.filter(organisation=cod_order["org_a"]).exists()
    assert PayableEntry.objects.get(organisation=cod_order["org_b"]).amount == -6_000


@pytest.mark.parametrize(
    ("parts", "expected"),
    [
        ([("new", False), ("new", False)], PaymentStatus.PENDING),
        ([("delivered", True), ("shipped", False)], PaymentStatus.PARTIALLY_PAID),
        ([("delivered", True), ("returned", False)], PaymentStatus.PARTIALLY_PAID),
        ([("delivered", True), ("cancelled", False)], PaymentStatus.PARTIALLY_PAID),
        ([("delivered", True), ("delivered", True)], PaymentStatus.PAID),
        ([("returned", False), ("cancelled", False)], PaymentStatus.CANCELLED),
        ([("returned", False), ("confirmed", False)], PaymentStatus.PENDING),
    ],
)
def test_order_status_follows_its_parts(parts, expected):
    assert cod.order_status_from_parts(parts) == expected


def test_a_card_order_is_not_moved_by_cod_steps(houses):
    order = place({houses["rice"]: 1})
    part = order.fulfilments.get()
    with pytest.raises(InvalidOrderStatus):
        cod.cod_part_step(fulfilment=part, step=C, user=houses["editor_a"])


# --- Holds -----------------------------------------------------------------------


def test_cod_hold_outlives_a_card_hold_and_lapses_only_unconfirmed(cod_order, houses):
    card = place({houses["rice"]: 1})
    later = timezone.now() + timedelta(hours=2)
    report = orders_expire(now=later)
    assert report.expired == 1
    assert Order.objects.get(pk=card.pk).payment_status == PaymentStatus.EXPIRED
    order = Order.objects.get(pk=cod_order["order"].pk)
    assert order.payment_status == PaymentStatus.PENDING
    assert stock_of(houses["rice"]) == (10, 2)
    # Brand A confirms in time, brand B never does.
    step(cod_order, "part_a", C)
    Order.objects.filter(pk=order.pk).update(
        reserved_until=timezone.now() - timedelta(minutes=1)
    )
    assert orders_expire().expired == 1
    assert OrderFulfilment.objects.get(pk=cod_order["part_b"].pk).status == X
    assert stock_of(houses["sauce"]) == (4, 0)
    # The confirmed part keeps its hold; the order lives on, due no more.
    assert OrderFulfilment.objects.get(pk=cod_order["part_a"].pk).status == C
    assert stock_of(houses["rice"]) == (10, 2)
    assert Order.objects.get(pk=order.pk).payment_status == PaymentStatus.PENDING
    assert orders_expire().checked == 0


def test_a_cod_order_nobody_confirmed_expires_whole(cod_order):
    order = cod_order["order"]
    Order.objects.filter(pk=order.pk).update(
        reserved_until=timezone.now() - timedelta(minutes=1)
    )
    assert orders_expire().expired == 1
    order.refresh_from_db()
    assert order.payment_status == PaymentStatus.EXPIRED
    assert set(order.fulfilments.values_list("status", flat=True)) == {X}
    assert stock_of(cod_order["rice"]) == (10, 0)
    assert stock_of(cod_order["sauce"]) == (4, 0)
    with pytest.raises(InvalidOrderStatus):
        step(cod_order, "part_a", C)


# --- Hole: the generic delivery form must not move a COD part --------------------


def test_the_paid_order_delivery_form_cannot_cancel_a_cod_part(cod_order):
    """Before: "cancelled" through ``fulfilment_update`` left the stock held."""
    with pytest.raises(InvalidOrderStatus):
        fulfilment_services.fulfilment_update(fulfilment=cod_order["part_a"], status=X)
    assert OrderFulfilment.objects.get(pk=cod_order["part_a"].pk).status == "new"
    assert stock_of(cod_order["rice"]) == (10, 2)


# --- Permissions -----------------------------------------------------------------


def _detail(part) -> str:
    return reverse("shop_orders:inspect", args=[part.public_id])


def _post(client, part, to, **extra):
    return client.post(_detail(part), {"action": "cod", "step": to, **extra})


# Wagtail answers a PermissionDenied in its admin with a redirect to the
# dashboard and an error message; a user with no admin access goes to login.
@pytest.mark.parametrize(
    ("who", "expected_status", "moves"),
    [
        ("owner_a", 302, True),
        ("editor_a", 302, True),
        ("editor_b", 404, False),  # another brand: its part does not exist for them
        ("staff", 302, False),  # sees the part, but the cash is not theirs to record
        ("outsider", 302, False),  # no organisation: no shop admin
    ],
)
def test_who_may_record_brand_as_cod_steps(
    client, cod_order, who, expected_status, moves
):
    users = {
        **cod_order,
        "staff": UserFactory(is_staff=True),
        "outsider": UserFactory(is_staff=True),
    }
    users["staff"].groups.add(province_staff_group_ensure())
    client.force_login(users[who])
    response = _post(client, cod_order["part_a"], C)
    assert response.status_code == expected_status
    if who == "staff":
        assert response["Location"] == "/admin/"
    elif who == "outsider":
        assert response["Location"].startswith("/accounts/login/")
    status = OrderFulfilment.objects.get(pk=cod_order["part_a"].pk).status
    assert status == (C if moves else "new")


def test_brand_b_cannot_mark_brand_as_part_through_the_service(cod_order):
    with pytest.raises(CodNotAllowed):
        step(cod_order, "part_a", C, user="editor_b")
    assert OrderFulfilment.objects.get(pk=cod_order["part_a"].pk).status == "new"


def test_admin_walks_a_part_through_and_a_double_post_is_harmless(client, cod_order):
    client.force_login(cod_order["editor_a"])
    part = cod_order["part_a"]
    page = client.get(_detail(part)).content.decode()
    assert 'value="confirmed"' in page and 'value="delivered"' not in page
    assert _post(client, part, C).status_code == 302
    missing = _post(client, part, S)
    assert missing.status_code == 400
    assert "mã vận đơn" in missing.content.decode()
    assert _post(client, part, S, **SHIP).status_code == 302
    for _ in range(2):
        assert _post(client, part, D).status_code == 302
    assert stock_of(cod_order["rice"]) == (8, 0)
    assert PayableEntry.objects.filter(kind=PayableEntry.Kind.COD_FEE).count() == 1
    page = client.get(_detail(part)).content.decode()
    assert "Đã giao, đã thu tiền" in page
    assert 'name="step"' not in page  # nothing left to do
    late = _post(client, part, R)
    assert late.status_code == 409


@pytest.mark.parametrize("bad", ["paid", "", "x" * 500, "delivered\x00"])
def test_bad_step_values_are_a_400_not_a_500(client, cod_order, bad):
    client.force_login(cod_order["editor_a"])
    response = _post(client, cod_order["part_a"], bad)
    assert response.status_code == 400
    assert OrderFulfilment.objects.get(pk=cod_order["part_a"].pk).status == "new"


def test_the_default_admin_listing_shows_cod_orders_to_confirm(client, cod_order):
    client.force_login(cod_order["editor_a"])
    page = client.get(reverse("shop_orders:index")).content.decode()
    assert cod_order["order"].number in page
    assert "Thanh toán khi nhận hàng: trả khi nhận" in page


# --- Ledger and statement --------------------------------------------------------


def test_ledger_direction_and_statement_net(client, cod_order, webhook_secret):
    # A card order paid to brand A: the platform owes A.
    card = place({cod_order["rice"]: 1})
    Order.objects.filter(pk=card.pk).update(payment_intent_id="pi_cod_mix")
    card.refresh_from_db()
    send(pi_event("evt_cod_mix", "payment_intent.succeeded", card))
    owed_to = 150_000 - 7_500 + 30_000
    # A COD part collected by A: A owes the platform 5 % of 300,000.
    for to in (C, S, D):
        step(cod_order, "part_a", to, **SHIP)
    cod_entries = PayableEntry.objects.filter(
        organisation=cod_order["org_a"], order=cod_order["order"]
    )
    assert [(e.kind, e.amount) for e in cod_entries] == [
        (PayableEntry.Kind.COD_FEE, -15_000)
    ]
    client.force_login(cod_order["owner_a"])
    response = client.get(
        reverse("shop_statement:index"),
        {
            "organisation": cod_order["org_a"].pk,
            "start": "2000-01-01",
            "end": "2100-01-01",
        },
    )
    settlement = response.context["settlement"]
    assert settlement == money.Settlement(
        owed_to_organisation=owed_to,
        owed_by_organisation=15_000,
        net=owed_to - 15_000,
    )
    assert response.context["totals"]["balance"] == owed_to - 15_000
    page = response.content.decode()
    assert "Phí nền tảng trên đơn thu tiền khi nhận hàng" in page
    assert "nền tảng trả cho tổ chức" in page
    csv_text = client.get(
        reverse("shop_statement:index"),
        {
            "organisation": cod_order["org_a"].pk,
            "start": "2000-01-01",
            "end": "2100-01-01",
            "export": "csv",
        },
    ).content.decode()
    assert ",owed_by_organisation,,15000" in csv_text
    assert f",balance,,{owed_to - 15_000}" in csv_text


def test_a_cod_only_brand_owes_the_platform(client, cod_order):
    for to in (C, S, D):
        step(cod_order, "part_b", to, **SHIP)
    client.force_login(cod_order["editor_b"])
    response = client.get(
        reverse("shop_statement:index"),
        {
            "organisation": cod_order["org_b"].pk,
            "start": "2000-01-01",
            "end": "2100-01-01",
        },
    )
    assert response.context["settlement"].net == -6_000
    assert "tổ chức trả cho nền tảng" in response.content.decode()


def test_settlement_splits_both_directions():
    result = money.settlement([(False, 100_000), (False, -5_000), (True, -2_000)])
    assert result == money.Settlement(
        owed_to_organisation=95_000, owed_by_organisation=2_000, net=93_000
    )
    assert money.settlement([]).net == 0


def test_revenue_counts_only_collected_cod_parts(cod_order):
    for to in (C, S, D):
        step(cod_order, "part_a", to, **SHIP)
    step(cod_order, "part_b", X)
    [period] = paid_orders_by_period(period="year")
    assert period.paid_orders == 1
    # Only A's collected part (goods and its shipping), not B's cancelled one.
    part_a = OrderFulfilment.objects.get(pk=cod_order["part_a"].pk)
    assert period.revenue == part_a.total


# --- Display: each part its own state --------------------------------------------


def test_a_refund_on_one_part_is_not_shown_on_the_other(client, houses, webhook_secret):
    """Before: brand B's untouched part read "partially refunded" (the order's)."""
    order = place({houses["rice"]: 1, houses["sauce"]: 1})
    Order.objects.filter(pk=order.pk).update(payment_intent_id="pi_cod_display")
    order.refresh_from_db()
    send(pi_event("evt_cod_display", "payment_intent.succeeded", order))
    part_a = order.fulfilments.get(organisation=houses["org_a"])
    part_b = order.fulfilments.get(organisation=houses["org_b"])
    # Brand A refunded 50,000 of its part (as refund_apply leaves it).
    OrderFulfilment.objects.filter(pk=part_a.pk).update(amount_refunded=50_000)
    Order.objects.filter(pk=order.pk).update(
        amount_refunded=50_000, payment_status=PaymentStatus.PARTIALLY_REFUNDED
    )
    client.force_login(houses["editor_b"])
    page_b = client.get(_detail(part_b)).content.decode()
    assert "Đã hoàn tiền một phần" not in page_b
    assert '<dd id="part-payment-state">Đã thanh toán' in page_b
    client.force_login(houses["editor_a"])
    page_a = client.get(_detail(part_a)).content.decode()
    assert '<dd id="part-payment-state">Đã hoàn tiền một phần' in page_a
    client.logout()
    buyer = client.get(reverse("shop:order_detail", args=[order.public_id]))
    states = [
        line.split('data-part-payment="')[1].split('"')[0]
        for line in buyer.content.decode().splitlines()
        if "data-part-payment=" in line
    ]
    assert sorted(states) == ["paid", "partially_refunded"]


def test_the_buyers_page_shows_each_cod_part(client, cod_order):
    for to in (C, S, D):
        step(cod_order, "part_a", to, **SHIP)
    for to in (C, S, R):
        step(cod_order, "part_b", to, **SHIP)
    page = client.get(
        reverse("shop:order_detail", args=[cod_order["order"].public_id])
    ).content.decode()
    assert 'data-part-payment="cod_collected"' in page
    assert 'data-part-payment="cod_returned"' in page
    assert "Thanh toán ngay" not in page  # no online payment for cash orders
    assert page.count("data-part-payment=") == 2


# --- Reconciliation report -------------------------------------------------------


def test_reconcile_reports_cod_orders_and_parts(cod_order):
    for to in (C, S, D):
        step(cod_order, "part_a", to, **SHIP)
    out = StringIO()
    call_command("shop_reconcile", stdout=out)
    lines = out.getvalue().splitlines()
    assert (
        "cod: pending 0, paid 0, expired 0, review 0, partly paid 1, cancelled 0"
        in lines
    )
    part_a = OrderFulfilment.objects.get(pk=cod_order["part_a"].pk)
    assert (
        "cod parts: awaiting confirmation 1, confirmed 0, shipped 0, cash collected 1, "
        f"cancelled 0, returned 0; cash collected by brands {part_a.total} VND, "
        "fees owed by brands 15000 VND"
    ) in lines


# --- Concurrency -----------------------------------------------------------------


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("units", [1, 3])
def test_50_cod_buyers_for_the_last_units(units):
    variant = shop_factories.variant(price=150_000, on_hand=units)
    carts = [filled_cart({variant: 1}) for _ in range(50)]

    def buy(cart):
        return order_services.order_place(
            cart=cart,
            checkout_token=uuid.uuid4(),
            details=DETAILS,
            user=None,
            language="vi",
            expected_total=None,
            payment_method=PaymentMethod.COD,
        )

    results = run_concurrently(buy, carts, workers=50)
    winners = [value for kind, value in results if kind == "ok"]
    losers = [value for kind, value in results if kind == "error"]
    assert len(winners) == units
    assert all(getattr(e, "code", None) == "out_of_stock" for e in losers), losers[:3]
    assert Order.objects.filter(payment_method=PaymentMethod.COD).count() == units
    assert stock_of(variant) == (units, units)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("last", [R, X])
def test_concurrent_duplicate_refusals_restock_once(last):
    organisation = onboarded_organisation()
    brand = shop_factories.brand(organisation=organisation)
    variant = shop_factories.variant(brand_page=brand, price=100_000, on_hand=5)
    editor = member(organisation, Membership.Role.EDITOR)
    repeats = 5 if IS_POSTGRES else 1
    for _ in range(repeats):
        order = place_cod({variant: 2})
        part = order.fulfilments.get()
        path = (C, S) if last == R else (C,)
        for to in path:
            cod.cod_part_step(fulfilment=part, step=to, user=editor, **SHIP)
        assert stock_of(variant) == (5, 2)

        def refuse(target):
            return cod.cod_part_step(fulfilment=target, step=last, user=editor)

        results = run_concurrently(refuse, [part] * 8, workers=8)
        assert all(kind == "ok" for kind, _value in results), results
        assert sum(value.changed for _kind, value in results) == 1
        assert sum(value.released for _kind, value in results) == 1
        assert stock_of(variant) == (5, 0)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_duplicate_collections_commit_and_book_once():
    organisation = onboarded_organisation()
    brand = shop_factories.brand(organisation=organisation)
    variant = shop_factories.variant(brand_page=brand, price=100_000, on_hand=5)
    editor = member(organisation, Membership.Role.EDITOR)
    order = place_cod({variant: 2})
    part = order.fulfilments.get()
    for to in (C, S):
        cod.cod_part_step(fulfilment=part, step=to, user=editor, **SHIP)

    def collect(_n):
        return cod.cod_part_step(fulfilment=part, step=D, user=editor)

    results = run_concurrently(collect, list(range(8)), workers=8)
    assert all(kind == "ok" for kind, _value in results), results
    assert sum(value.changed for _kind, value in results) == 1
    assert stock_of(variant) == (3, 0)
    assert PayableEntry.objects.filter(order=order).count() == 1
    assert Order.objects.get(pk=order.pk).payment_status == PaymentStatus.PAID
