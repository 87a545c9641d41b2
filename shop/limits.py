"""Limits on what unpaid orders may hold, so no visitor can hoard stock.

An unpaid order holds its units away from every other buyer. Without limits a
visitor could keep a variant's whole stock for ever in two requests: fill the
cart, check out, let the order lapse, repeat. So:

- one unpaid order holds at most ``units_per_variant`` units of a variant and
  ``units_per_order`` in all (``hold_size_check``);
- one client address, one browser session and one email (or account) may
  place at most ``orders_per_window`` orders left unpaid within
  ``window_minutes`` (``checkout_rate_check``); a paid order stops counting;
- a guest's order holds its stock for less time than a signed-in buyer's
  (``hold_minutes``).

Emails and accounts are counted in the orders table. Orders do not store the
client address or the session, so the ids of the orders each one placed are
kept in the "ratelimit" cache (the one that does not evict, see
``config.settings``) for the window, and those ids are counted against the
orders table, so a paid order stops counting there too.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from allauth.account.adapter import get_adapter
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.cache import caches
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.ratelimit_store import RATELIMIT_CACHE_ALIAS

from .errors import HoldTooLarge, TooManyUnpaidOrders
from .models import PAID_STATUSES, Order, PaymentMethod

# Order ids kept per client address or session; more than the limit is never
# needed, the margin covers orders paid since.
_MAX_REMEMBERED_ORDERS = 100


@dataclass(frozen=True)
class HoldLimits:
    orders_per_window: int
    window_minutes: int
    units_per_variant: int
    units_per_order: int


def hold_limits() -> HoldLimits:
    """The limits in force (settings, read per call so tests may change them)."""
    return HoldLimits(
        orders_per_window=settings.SHOP_UNPAID_ORDERS_PER_WINDOW,
        window_minutes=settings.SHOP_UNPAID_ORDERS_WINDOW_MINUTES,
        units_per_variant=settings.SHOP_HOLD_MAX_UNITS_PER_VARIANT,
        units_per_order=settings.SHOP_HOLD_MAX_UNITS_PER_ORDER,
    )


def hold_minutes(*, payment_method: str, is_guest: bool) -> int:
    """How long an unpaid order of this method holds its stock.

    A guest can start again from a fresh session at no cost, so a guest's
    hold is the shorter one, for VietQR too (a card order may switch to it).
    """
    if payment_method == PaymentMethod.VIETQR:
        member = settings.SHOP_VIETQR_EXPIRY_MINUTES
        guest = settings.SHOP_GUEST_VIETQR_EXPIRY_MINUTES
    else:
        member = settings.SHOP_RESERVATION_MINUTES
        guest = settings.SHOP_GUEST_RESERVATION_MINUTES
    return min(member, guest) if is_guest else member


# --- The size of one hold ------------------------------------------------------


def hold_size_check(*, quantities: Mapping[str, int], limits: HoldLimits) -> None:
    """Refuse an order holding more than the caps (``quantities``: line
    title -> units). Raises ``HoldTooLarge`` naming the lines over the cap."""
    over = [
        title for title, units in quantities.items() if units > limits.units_per_variant
    ]
    if over:
        raise HoldTooLarge(
            _(
                "One unpaid order may hold at most %(units)s of each product. "
                "Please lower the quantity of: %(items)s."
            )
            % {"units": limits.units_per_variant, "items": ", ".join(over)}
        )
    total = sum(quantities.values())
    if total > limits.units_per_order:
        raise HoldTooLarge(
            _(
                "One unpaid order may hold at most %(units)s products in all; "
                "your cart has %(count)s. Please split your order."
            )
            % {"units": limits.units_per_order, "count": total}
        )


# --- How many unpaid orders one buyer places -------------------------------------


@dataclass(frozen=True)
class BuyerClient:
    """Where a checkout comes from: the client address and the session."""

    ip: str | None
    session_key: str | None


def buyer_client(request: HttpRequest) -> BuyerClient:
    """The checkout's client address (through the trusted proxies, as for
    login rate limits) and its session key."""
    try:
        ip: str | None = get_adapter(request).get_client_ip(request)
    except (PermissionDenied, ImproperlyConfigured):
        # No address to count by (a proxy misconfiguration): the session and
        # email limits still apply.
        ip = None
    session = getattr(request, "session", None)
    return BuyerClient(ip=ip, session_key=session.session_key if session else None)


def _client_keys(client: BuyerClient | None) -> list[str]:
    if client is None:
        return []
    keys = []
    for kind, value in (("ip", client.ip), ("session", client.session_key)):
        if value:
            digest = hashlib.sha256(value.encode()).hexdigest()
            keys.append(f"shop:unpaid-orders:{kind}:{digest}")
    return keys


def _unpaid_since(since: datetime):
    return Order.objects.filter(created_at__gte=since).exclude(
        payment_status__in=PAID_STATUSES
    )


def checkout_rate_check(
    *,
    client: BuyerClient | None,
    email: str,
    user: User | AnonymousUser,
    limits: HoldLimits,
    now: datetime | None = None,
) -> None:
    """Refuse a checkout when its client address, session, email or account
    already placed ``orders_per_window`` orders still unpaid within the
    window. Two queries. Raises ``TooManyUnpaidOrders``."""
    since = (now or timezone.now()) - timedelta(minutes=limits.window_minutes)
    unpaid = _unpaid_since(since)
    buyer = Q(email__iexact=email)
    if isinstance(user, User):
        buyer |= Q(user=user)
    if unpaid.filter(buyer).count() >= limits.orders_per_window:
        raise TooManyUnpaidOrders()
    remembered = caches[RATELIMIT_CACHE_ALIAS].get_many(_client_keys(client))
    if not remembered:
        return
    every_id = {order_id for ids in remembered.values() for order_id in ids}
    still_unpaid = set(unpaid.filter(pk__in=every_id).values_list("pk", flat=True))
    for ids in remembered.values():
        if len(still_unpaid.intersection(ids)) >= limits.orders_per_window:
            raise TooManyUnpaidOrders()


def checkout_record(
    *, client: BuyerClient | None, order_id: int, limits: HoldLimits
) -> None:
    """Remember that ``client`` placed ``order_id`` (after the order commits).

    Not atomic across app servers (read, append, write): two checkouts of one
    client at the same instant may count once, which only loosens the limit
    by one order."""
    cache = caches[RATELIMIT_CACHE_ALIAS]
    for key in _client_keys(client):
        ids = cache.get(key, [])
        if order_id in ids:
            # A resubmitted form returned the order it placed before.
            continue
        ids = [*ids, order_id][-_MAX_REMEMBERED_ORDERS:]
        cache.set(key, ids, timeout=limits.window_minutes * 60)


# --- What the buyer is told ------------------------------------------------------


@dataclass(frozen=True)
class HoldPolicy:
    """The limits as the cart and checkout pages state them to this buyer."""

    units_per_variant: int
    units_per_order: int
    hold_minutes: int
    member_hold_minutes: int
    orders_per_window: int
    window_minutes: int
    is_guest: bool


def hold_policy(*, is_guest: bool) -> HoldPolicy:
    limits = hold_limits()
    return HoldPolicy(
        units_per_variant=limits.units_per_variant,
        units_per_order=limits.units_per_order,
        hold_minutes=hold_minutes(payment_method=PaymentMethod.CARD, is_guest=is_guest),
        member_hold_minutes=hold_minutes(
            payment_method=PaymentMethod.CARD, is_guest=False
        ),
        orders_per_window=limits.orders_per_window,
        window_minutes=limits.window_minutes,
        is_guest=is_guest,
    )
