"""Cash on delivery: what happens to each brand's part after the order is placed.

A COD order is placed like any other (``orders.order_place`` with
``payment_method=COD``): its stock is held, nothing is paid online and the
buyer's confirmation goes out at once. Then each brand moves its own part:

    new -> confirmed -> shipped -> delivered (cash collected)
    new | confirmed -> cancelled     (not shipped: the hold is released)
    shipped -> returned              (refused at the door: the units come back)

"Delivered, cash collected" commits that part's held stock, marks the part
paid and books the platform fee the brand now owes (the cash is with the
brand, so the ledger runs the other way from a card sale). The order's
payment status follows its parts (``order_status_from_parts``).

Holds: a part its brand has not confirmed within ``SHOP_COD_CONFIRM_HOURS``
is cancelled and released by the expiry job (``cod_parts_expire``); a
confirmed part has no clock (goods may be on the road for days), it holds its
stock until it is delivered, cancelled or returned. Stock is never taken from
on-hand before the cash is collected, so "returned" gives the held units back
to other buyers (a restock of the shelf count others see) exactly like a
cancellation; both move a hold from held to released once, so a second or
concurrent request releases nothing.

Every transition locks the order, then the part (the order row first, as the
payment and refund paths do), and moves the part with a conditional UPDATE
from the state it was read in. Asking for the state a part is already in is a
no-op (a double POST), any other move a part cannot make is
``InvalidOrderStatus``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.utils import timezone

from organisations.selectors import user_is_member
from shop import stock
from shop.errors import CodNotAllowed, CodShippingDetailsMissing, InvalidOrderStatus
from shop.models import (
    FulfilmentStatus,
    Order,
    OrderFulfilment,
    OrderLine,
    PaymentMethod,
    PaymentStatus,
)

from .fulfilment import NOTICED_STEPS
from .ledger import payables_book_cod_fee
from .notices import buyer_notice_record
from .orders import order_lock, order_set_payment_status

COD_TRANSITIONS: dict[str, set[str]] = {
    FulfilmentStatus.NEW: {FulfilmentStatus.CONFIRMED, FulfilmentStatus.CANCELLED},
    FulfilmentStatus.CONFIRMED: {FulfilmentStatus.SHIPPED, FulfilmentStatus.CANCELLED},
    FulfilmentStatus.SHIPPED: {FulfilmentStatus.DELIVERED, FulfilmentStatus.RETURNED},
    FulfilmentStatus.DELIVERED: set(),
    FulfilmentStatus.CANCELLED: set(),
    FulfilmentStatus.RETURNED: set(),
}
# The steps a brand may take, in the order the admin offers them.
COD_STEPS = (
    FulfilmentStatus.CONFIRMED,
    FulfilmentStatus.SHIPPED,
    FulfilmentStatus.DELIVERED,
    FulfilmentStatus.CANCELLED,
    FulfilmentStatus.RETURNED,
)
OPEN_STATUSES = frozenset(
    {FulfilmentStatus.NEW, FulfilmentStatus.CONFIRMED, FulfilmentStatus.SHIPPED}
)
# Order statuses in which the parts may still move.
LIVE_ORDER_STATUSES = frozenset({PaymentStatus.PENDING, PaymentStatus.PARTIALLY_PAID})


@dataclass(frozen=True)
class CodStepResult:
    fulfilment: OrderFulfilment
    # False when the part was already there (a repeated request).
    changed: bool
    # Held units released (cancelled) or given back (returned) by this step.
    released: int = 0
    # Platform fee booked against the brand by this step (cash collected).
    fee_booked: int = 0


def user_may_record_cod(
    *, user: AbstractBaseUser | AnonymousUser, fulfilment: OrderFulfilment
) -> bool:
    """Only members (owners and editors) of the part's own organisation: the
    cash and the parcel are with that brand, and collecting makes it owe the
    fee, so neither another brand nor province staff says it happened."""
    return user_is_member(user=user, organisation=fulfilment.organisation)


def cod_steps_for(*, fulfilment: OrderFulfilment) -> list[str]:
    """The steps its brand can take on this part now (for the admin buttons)."""
    if fulfilment.order.payment_method != PaymentMethod.COD:
        return []
    if fulfilment.order.payment_status not in LIVE_ORDER_STATUSES:
        return []
    allowed = COD_TRANSITIONS[fulfilment.status]
    return [step for step in COD_STEPS if step in allowed]


def _part_variant_ids(fulfilment: OrderFulfilment) -> list[int]:
    return [
        variant_id
        for variant_id in OrderLine.objects.filter(fulfilment=fulfilment)
        .values_list("variant_id", flat=True)
        .order_by("variant_id")
        if variant_id is not None
    ]


def order_status_from_parts(statuses: list[tuple[str, bool]]) -> str:
    """A COD order's payment status from its parts' ``(status, cash collected)``.

    - every part collected: ``paid``;
    - some collected, the rest open, cancelled or refused: ``partially_paid``
      (it becomes ``paid`` if the rest are collected too);
    - none collected and none open (all cancelled or refused): ``cancelled``;
    - otherwise (something still on the way, nothing collected): ``pending``.
    """
    collected = sum(1 for _status, cash in statuses if cash)
    still_open = sum(1 for status, cash in statuses if status in OPEN_STATUSES)
    if statuses and collected == len(statuses):
        return PaymentStatus.PAID
    if collected:
        return PaymentStatus.PARTIALLY_PAID
    if not still_open:
        return PaymentStatus.CANCELLED
    return PaymentStatus.PENDING


def _order_follow_parts(*, order: Order, now: datetime) -> None:
    statuses = list(
        OrderFulfilment.objects.filter(order=order)
        .order_by("pk")
        .values_list("status", "cash_collected_at")
    )
    target = order_status_from_parts(
        [(status, collected is not None) for status, collected in statuses]
    )
    if target == order.payment_status:
        return
    order_set_payment_status(order=order, status=target)
    if target in (PaymentStatus.PAID, PaymentStatus.PARTIALLY_PAID):
        # Paid from the first cash collected (the dashboard's revenue counts
        # only collected parts, see shop.selectors).
        Order.objects.filter(pk=order.pk, paid_at__isnull=True).update(paid_at=now)


@transaction.atomic
def cod_part_step(
    *,
    fulfilment: OrderFulfilment,
    step: str,
    user: AbstractBaseUser | AnonymousUser,
    carrier: str = "",
    tracking_number: str = "",
) -> CodStepResult:
    """Move one brand's part of a COD order to ``step`` (once).

    Raises ``CodNotAllowed`` (not a member of the part's organisation),
    ``InvalidOrderStatus`` (not a COD order, the order is over, or the part
    cannot make that move) or ``CodShippingDetailsMissing``.
    """
    if not user_may_record_cod(user=user, fulfilment=fulfilment):
        raise CodNotAllowed()
    return _step(
        fulfilment_id=fulfilment.pk,
        step=step,
        carrier=carrier.strip(),
        tracking_number=tracking_number.strip(),
    )


def _step(
    *, fulfilment_id: int, step: str, carrier: str = "", tracking_number: str = ""
) -> CodStepResult:
    order_id = OrderFulfilment.objects.values_list("order_id", flat=True).get(
        pk=fulfilment_id
    )
    order = order_lock(order_id=order_id)
    part = OrderFulfilment.objects.select_for_update().get(pk=fulfilment_id)
    if order.payment_method != PaymentMethod.COD or step not in COD_TRANSITIONS:
        raise InvalidOrderStatus()
    if part.status == step:
        return CodStepResult(fulfilment=part, changed=False)
    if (
        order.payment_status not in LIVE_ORDER_STATUSES
        or step not in COD_TRANSITIONS[part.status]
    ):
        raise InvalidOrderStatus()
    if step == FulfilmentStatus.SHIPPED and not (carrier and tracking_number):
        raise CodShippingDetailsMissing()
    now = timezone.now()
    fields: dict[str, object] = {"status": step, "updated_at": now}
    if step == FulfilmentStatus.SHIPPED:
        fields.update(carrier=carrier, tracking_number=tracking_number)
    if step == FulfilmentStatus.DELIVERED:
        fields["cash_collected_at"] = now
    # Conditional on the state read: on SQLite (no row locks) this is the guard.
    moved = OrderFulfilment.objects.filter(pk=part.pk, status=part.status).update(
        **fields
    )
    if moved != 1:
        raise InvalidOrderStatus()
    if step in NOTICED_STEPS:
        buyer_notice_record(fulfilment_id=part.pk, kind=step)
    released = fee = 0
    variant_ids = _part_variant_ids(part)
    if step == FulfilmentStatus.DELIVERED:
        stock.stock_commit(order=order, variant_ids=variant_ids)
        part.refresh_from_db()
        fee = payables_book_cod_fee(order=order, fulfilment=part)
    elif step in (FulfilmentStatus.CANCELLED, FulfilmentStatus.RETURNED):
        released = stock.stock_release(order=order, variant_ids=variant_ids)
    _order_follow_parts(order=order, now=now)
    part.refresh_from_db()
    return CodStepResult(
        fulfilment=part, changed=True, released=released, fee_booked=fee
    )


@transaction.atomic
def cod_parts_expire(*, order_id: int) -> int:
    """Cancel and release the parts of a COD order whose brand never confirmed
    them in time (the expiry job, for orders past ``reserved_until``).

    An order none of whose parts was confirmed ends ``expired``, as other
    methods' unpaid orders do; otherwise the order follows its parts. Returns
    the parts cancelled.
    """
    order = order_lock(order_id=order_id)
    if (
        order.payment_method != PaymentMethod.COD
        or order.payment_status not in LIVE_ORDER_STATUSES
        or order.reserved_until > timezone.now()
    ):
        return 0
    # Locked with the order, so a brand confirming now waits and then finds
    # its part cancelled (409), never half of each.
    parts = list(
        OrderFulfilment.objects.select_for_update().filter(order=order).order_by("pk")
    )
    unconfirmed = [p for p in parts if p.status == FulfilmentStatus.NEW]
    if len(unconfirmed) == len(parts):
        OrderFulfilment.objects.filter(order=order).update(
            status=FulfilmentStatus.CANCELLED, updated_at=timezone.now()
        )
        order_set_payment_status(order=order, status=PaymentStatus.EXPIRED)
        stock.stock_release(order=order)
        return len(parts)
    for part in unconfirmed:
        _step(fulfilment_id=part.pk, step=FulfilmentStatus.CANCELLED)
    return len(unconfirmed)
