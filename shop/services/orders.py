"""Placing orders: the order, its number, lines and stock holds in one transaction.

Also the one function that moves an order's payment status (forward only,
through ``PAYMENT_TRANSITIONS``) and the saved addresses of a checkout.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from core.language import request_language
from shop import limits, money, stock
from shop.addresses import HOME_COUNTRY
from shop.cart import CartSummary, cart_clear, cart_summary
from shop.errors import (
    CartChanged,
    CartEmpty,
    InvalidOrderStatus,
    NotShippedThere,
    OrderAmountInvalid,
    PaymentMethodRefused,
    ProductsRemoved,
    ShippingPricedAgain,
)
from shop.models import (
    Cart,
    CartLine,
    Order,
    OrderFulfilment,
    OrderLine,
    OrderNumberCounter,
    PaymentMethod,
    PaymentStatus,
    SavedAddress,
)
from shop.payments import vietqr
from shop.tasks import order_cod_emails_send

# Allowed payment-status moves. A failed card may still be retried (failed ->
# paid); expiry may be overtaken by a payment that Stripe took anyway.
PAYMENT_TRANSITIONS: dict[str, set[str]] = {
    PaymentStatus.PENDING: {
        PaymentStatus.FAILED,
        PaymentStatus.EXPIRED,
        PaymentStatus.PAID,
        # Cash on delivery: the order follows its parts (shop.services.cod).
        PaymentStatus.PARTIALLY_PAID,
        PaymentStatus.CANCELLED,
    },
    PaymentStatus.PARTIALLY_PAID: {PaymentStatus.PAID},
    PaymentStatus.CANCELLED: set(),
    PaymentStatus.FAILED: {PaymentStatus.EXPIRED, PaymentStatus.PAID},
    PaymentStatus.EXPIRED: {PaymentStatus.PAID},
    PaymentStatus.PAID: {PaymentStatus.PARTIALLY_REFUNDED, PaymentStatus.REFUNDED},
    PaymentStatus.PARTIALLY_REFUNDED: {
        PaymentStatus.PARTIALLY_REFUNDED,
        PaymentStatus.REFUNDED,
    },
    PaymentStatus.REFUNDED: set(),
}


@dataclass(frozen=True)
class CheckoutDetails:
    email: str
    phone: str
    recipient_name: str
    recipient_phone: str
    province: str
    commune: str
    street: str
    notes: str = ""
    save_address: bool = False
    country: str = HOME_COUNTRY
    address_line2: str = ""
    city: str = ""
    region: str = ""
    postal_code: str = ""
    # The country whose shipping the checkout page showed (its total).
    priced_for: str = HOME_COUNTRY

    @property
    def address(self) -> dict[str, str]:
        """The PostalAddress fields of an order or a saved address."""
        return {
            "country": self.country,
            "province": self.province,
            "commune": self.commune,
            "street": self.street,
            "address_line2": self.address_line2,
            "city": self.city,
            "region": self.region,
            "postal_code": self.postal_code,
        }


@dataclass
class Priced:
    """Filled by ``order_place`` with the cart as it priced it under the cart's
    lock, so a caller that shows the cart again (a refused checkout) does
    not price it a second time."""

    summary: CartSummary | None = None


# --- Status -------------------------------------------------------------------


def order_set_payment_status(*, order: Order, status: str) -> None:
    """Move ``order`` (locked by the caller) to ``status`` or raise InvalidOrderStatus."""
    if status not in PAYMENT_TRANSITIONS[order.payment_status]:
        raise InvalidOrderStatus()
    order.payment_status = status
    Order.objects.filter(pk=order.pk).update(
        payment_status=status, updated_at=timezone.now()
    )


def order_lock(*, order_id: int) -> Order:
    """The order row, locked for the caller's transaction."""
    return Order.objects.select_for_update().get(pk=order_id)


# --- Placing ------------------------------------------------------------------


def _next_order_number(*, year: int) -> str:
    updated = OrderNumberCounter.objects.filter(year=year).update(
        last_number=F("last_number") + 1
    )
    if not updated:
        try:
            with transaction.atomic():
                OrderNumberCounter.objects.create(year=year, last_number=1)
        except IntegrityError:
            OrderNumberCounter.objects.filter(year=year).update(
                last_number=F("last_number") + 1
            )
    number = OrderNumberCounter.objects.get(year=year).last_number
    return f"AG-{year}-{number:06d}"


def order_place(
    *,
    cart: Cart,
    checkout_token: uuid.UUID,
    details: CheckoutDetails,
    user: User | AnonymousUser,
    language: str,
    expected_total: int | None,
    payment_method: str = PaymentMethod.CARD,
    priced: Priced | None = None,
    client: limits.BuyerClient | None = None,
) -> Order:
    """Turn the cart into a pending order with its stock held, in one transaction.

    A VietQR order gets its transfer reference and holds its stock for
    ``SHOP_VIETQR_EXPIRY_MINUTES`` (a card order for ``SHOP_RESERVATION_MINUTES``;
    a guest's for the shorter guest settings, see ``shop.limits``).

    Against hoarding (``shop.limits``): ``TooManyUnpaidOrders`` when
    ``client`` (address and session), the email or the account placed too
    many unpaid orders lately, ``HoldTooLarge`` when the cart holds more than
    one unpaid order may. Cart lines no longer for sale (unpublished or
    private product, brand or section) are dropped from the cart and
    ``ProductsRemoved`` is raised, so the buyer confirms the new total.

    A second call with the same ``checkout_token`` (double submit, retry)
    returns the first order. Prices come from the catalogue now; if the total
    differs from ``expected_total`` (what the buyer confirmed) nothing is saved
    and ``CartChanged`` is raised. A brand of the cart that does not take
    ``payment_method`` for its part raises ``PaymentMethodRefused``. Raises
    ``CartEmpty``, ``OutOfStock``, ``OrderAmountInvalid`` (Stripe's limits)
    too. ``priced`` receives the priced cart, also when an error follows.
    """
    existing = Order.objects.filter(checkout_token=checkout_token).first()
    if existing is not None:
        return existing
    try:
        order = _order_create(
            cart=cart,
            checkout_token=checkout_token,
            details=details,
            user=user,
            language=language,
            expected_total=expected_total,
            payment_method=payment_method,
            priced=priced,
            client=client,
        )
    except _NotForSale as error:
        # Dropped in a transaction of its own: the order's one rolled back.
        cart_clear(cart=cart, variant_public_ids=error.public_ids)
        raise ProductsRemoved() from None
    except IntegrityError:
        # A parallel submit of the same form committed first: return its order.
        existing = Order.objects.filter(checkout_token=checkout_token).first()
        if existing is None:
            raise
        return existing
    # Committed: count it against the client address and session.
    limits.checkout_record(
        client=client, order_id=order.pk, limits=limits.hold_limits()
    )
    return order


@transaction.atomic
def _order_create(
    *,
    cart: Cart,
    checkout_token: uuid.UUID,
    details: CheckoutDetails,
    user: User | AnonymousUser,
    language: str,
    expected_total: int | None,
    payment_method: str = PaymentMethod.CARD,
    priced: Priced | None = None,
    client: limits.BuyerClient | None = None,
) -> Order:
    if payment_method not in PaymentMethod.values:
        raise ValueError(f"unknown payment method {payment_method!r}")
    lines = dict(
        CartLine.objects.select_for_update()
        .filter(cart=cart)
        .values_list("variant_public_id", "quantity")
    )
    # Checked again under the cart lock: a parallel submit of the same form
    # may have placed the order (and emptied the cart) while this one waited.
    existing = Order.objects.filter(checkout_token=checkout_token).first()
    if existing is not None:
        return existing
    if not lines:
        raise CartEmpty()
    summary = cart_summary(lines=lines, language=language, destination=details.country)
    if priced is not None:
        priced.summary = summary
    if summary.unavailable:
        raise _NotForSale(summary.unavailable)
    if summary.is_empty:
        raise CartChanged()
    hold = limits.hold_limits()
    limits.hold_size_check(
        quantities={
            f"{line.variant.product_title} ({line.variant.variant_name})": line.quantity
            for group in summary.groups
            for line in group.lines
        },
        limits=hold,
    )
    limits.checkout_rate_check(
        client=client, email=details.email, user=user, limits=hold
    )
    if summary.not_shipping:
        raise NotShippedThere([group.brand_title for group in summary.not_shipping])
    if expected_total is not None and expected_total != summary.total:
        if details.priced_for != details.country:
            raise ShippingPricedAgain()
        raise CartChanged()
    # Checked on the prices of this transaction, whatever the page offered.
    if any(payment_method in group.refusals for group in summary.groups):
        raise PaymentMethodRefused()
    if payment_method == PaymentMethod.CARD:
        try:
            money.stripe_amount(summary.total, money.SHOP_CURRENCY)
        except money.MoneyError as error:
            raise order_amount_error(error=error) from error
    now = timezone.now()
    reserved_until = now + timedelta(
        minutes=hold_minutes(payment_method, is_guest=not isinstance(user, User))
    )
    order = Order.objects.create(
        number=_next_order_number(year=timezone.localdate(now).year),
        checkout_token=checkout_token,
        user=user if isinstance(user, User) else None,
        language=language,
        email=details.email,
        phone=details.phone,
        recipient_name=details.recipient_name,
        recipient_phone=details.recipient_phone,
        **details.address,
        notes=details.notes,
        terms_accepted_at=now,
        subtotal=summary.subtotal,
        shipping_total=summary.shipping_total,
        total=summary.total,
        reserved_until=reserved_until,
        payment_method=payment_method,
    )
    if payment_method == PaymentMethod.VIETQR:
        transfer_reference_assign(order=order)
    quantities: dict[int, int] = {}
    titles: dict[int, str] = {}
    for group in summary.groups:
        fulfilment = OrderFulfilment.objects.create(
            order=order,
            organisation_id=group.organisation_id,
            brand_title=group.brand_title,
            subtotal=group.subtotal,
            shipping_fee=group.shipping_fee,
        )
        for line in group.lines:
            variant = line.variant
            OrderLine.objects.create(
                order=order,
                fulfilment=fulfilment,
                organisation_id=group.organisation_id,
                variant_id=variant.variant_id,
                variant_public_id=variant.public_id,
                product_title=variant.product_title,
                variant_name=variant.variant_name,
                sku=variant.sku,
                unit_price=variant.unit_price,
                quantity=line.quantity,
                line_total=line.line_total,
            )
            quantities[variant.variant_id] = line.quantity
            titles[variant.variant_id] = (
                f"{variant.product_title} ({variant.variant_name})"
            )
    stock.stock_reserve(
        order=order, quantities=quantities, titles=titles, expires_at=reserved_until
    )
    CartLine.objects.filter(cart=cart).delete()
    if details.save_address and order.user is not None:
        _address_remember(user=order.user, details=details)
    if payment_method == PaymentMethod.COD:
        # Nothing to pay online: the buyer's confirmation and the brands'
        # notices go out now (once, after commit).
        order_id = order.pk
        transaction.on_commit(lambda: order_emails_enqueue(order_id=order_id))
    return order


class _NotForSale(Exception):
    """Cart lines whose product is no longer for sale (inside order_place)."""

    def __init__(self, public_ids: list[uuid.UUID]) -> None:
        self.public_ids = public_ids
        super().__init__(public_ids)


def order_emails_enqueue(*, order_id: int) -> None:
    """Queue a cash-on-delivery order's confirmation and brand notices."""
    order_cod_emails_send.enqueue(order_id)


def hold_minutes(payment_method: str, *, is_guest: bool) -> int:
    """How long an unpaid order of this method holds its stock.

    For cash on delivery it is how long each brand has to confirm its part;
    a confirmed part holds its stock until it is delivered or refused
    (``shop.services.cod``).
    """
    if payment_method == PaymentMethod.COD:
        return settings.SHOP_COD_CONFIRM_HOURS * 60
    return limits.hold_minutes(payment_method=payment_method, is_guest=is_guest)


def transfer_reference_assign(*, order: Order) -> str:
    """Give ``order`` a fresh, unique transfer reference (inside the caller's
    transaction); a clash with another order's reference draws again."""
    for _attempt in range(10):
        reference = vietqr.reference_new()
        try:
            with transaction.atomic():
                Order.objects.filter(pk=order.pk).update(transfer_reference=reference)
        except IntegrityError:
            continue
        order.transfer_reference = reference
        return reference
    raise RuntimeError("no free transfer reference after 10 draws")


def order_amount_error(*, error: money.MoneyError) -> OrderAmountInvalid:
    """The buyer-facing error for a total outside Stripe's limits."""
    if error.code == "above_maximum":
        return OrderAmountInvalid(
            _(
                "One payment can be at most %(max)s. Please split your order "
                "or contact the brand for a bulk order."
            )
            % {"max": money.format_vnd(money.maximum_charge(), request_language())}
        )
    return OrderAmountInvalid(
        _("The minimum order is %(min)s.")
        % {"min": money.format_vnd(money.minimum_charge(), request_language())}
    )


def _address_remember(*, user: User, details: CheckoutDetails) -> None:
    fields = {
        "recipient_name": details.recipient_name,
        "phone": details.recipient_phone,
        **details.address,
    }
    if not SavedAddress.objects.filter(user=user, **fields).exists():
        SavedAddress.objects.create(user=user, **fields)


@transaction.atomic
def address_delete(*, user: User, public_id: uuid.UUID) -> bool:
    """Forget one of the user's saved addresses; False if it was not theirs."""
    deleted, _rows = SavedAddress.objects.filter(
        user=user, public_id=public_id
    ).delete()
    return bool(deleted)
