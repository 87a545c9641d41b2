"""Checkout: the page's priced cart and ways to pay, and the one submit.

A checkout POST calls ``checkout_submit`` once. It prices the cart once,
under the cart's lock inside ``order_place`` (which also re-checks the way to
pay against every brand of the cart), and hands back what the page needs:
the order, or the error with that same priced cart to show again. For a card
order it then makes the PaymentIntent, outside the transaction (Stripe is
never called inside one).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from accounts.models import User
from shop import limits, money
from shop.addresses import HOME_COUNTRY
from shop.cart import CartSummary, cart_lines, cart_summary
from shop.errors import PaymentMethodRefused, ProductsRemoved, ShopError
from shop.models import ABROAD, OVER_LIMIT, Cart, Order, PaymentMethod
from shop.payments.methods import methods_enabled

from . import orders as order_services
from . import payments as payment_services


@dataclass(frozen=True)
class BrandRefusal:
    """One brand of the cart that does not take one way to pay for its part."""

    organisation_id: int
    brand_title: str
    method: str
    reason: str  # REFUSED or OVER_LIMIT (shop.models.carts)
    part_total: int
    limit: int | None
    language: str

    @property
    def text(self) -> str:
        label = str(PaymentMethod(self.method).label)
        # Inside a sentence: "does not take bank transfer (VietQR)".
        method = label[:1].lower() + label[1:]
        if self.reason == OVER_LIMIT and self.limit is not None:
            return _(
                "%(brand)s takes %(method)s only up to %(limit)s, and its part "
                "of this order is %(amount)s."
            ) % {
                "brand": self.brand_title,
                "method": method,
                "limit": money.format_vnd(self.limit, self.language),
                "amount": money.format_vnd(self.part_total, self.language),
            }
        return _("%(brand)s does not take %(method)s.") % {
            "brand": self.brand_title,
            "method": method,
        }


@dataclass(frozen=True)
class MethodChoice:
    """A way to pay the site offers, and the brands of this cart refusing it."""

    method: str
    label: str | Promise
    refusals: tuple[BrandRefusal, ...]
    # Not offered for an address abroad (only the card is).
    abroad: bool = False

    @property
    def is_available(self) -> bool:
        return not self.refusals and not self.abroad


def payment_choices(*, summary: CartSummary, language: str) -> list[MethodChoice]:
    """The site's ways to pay for ``summary``; no query (the brands' terms came
    with the priced cart)."""
    choices = []
    for method in methods_enabled():
        refusals = tuple(
            BrandRefusal(
                organisation_id=group.organisation_id,
                brand_title=group.brand_title,
                method=method,
                reason=group.refusals[method],
                part_total=group.total,
                limit=group.cod_limit,
                language=language,
            )
            for group in summary.groups
            if method in group.refusals and group.refusals[method] != ABROAD
        )
        choices.append(
            MethodChoice(
                method=method,
                label=PaymentMethod(method).label,
                refusals=refusals,
                abroad=summary.is_abroad and method != PaymentMethod.CARD,
            )
        )
    return choices


@dataclass(frozen=True)
class CheckoutQuote:
    """The checkout page's cart, priced once, with its ways to pay."""

    summary: CartSummary
    choices: list[MethodChoice]

    @property
    def default_method(self) -> str | None:
        """The first way to pay every brand of the cart takes."""
        for choice in self.choices:
            if choice.is_available:
                return choice.method
        return None


def checkout_quote(
    *, cart: Cart | None, language: str, destination: str = HOME_COUNTRY
) -> CheckoutQuote:
    """Price ``cart`` shipped to ``destination`` for the checkout page (a GET,
    or a form to correct)."""
    summary = cart_summary(
        lines=cart_lines(cart=cart), language=language, destination=destination
    )
    return CheckoutQuote(
        summary=summary, choices=payment_choices(summary=summary, language=language)
    )


@dataclass(frozen=True)
class CheckoutResult:
    """What one checkout submit did: ``order`` placed, or ``error`` with the
    cart as priced for that attempt (``quote``) to show again."""

    order: Order | None
    quote: CheckoutQuote | None
    error: ShopError | None = None
    # Placed, but its card payment could not be prepared yet (Stripe down);
    # the payment page tries again.
    warning: str | Promise | None = None


def _empty(destination: str) -> CartSummary:
    return CartSummary(
        groups=[],
        unavailable=[],
        subtotal=0,
        shipping_total=0,
        total=0,
        destination=destination,
    )


def checkout_submit(
    *,
    cart: Cart,
    checkout_token: uuid.UUID,
    details: order_services.CheckoutDetails,
    payment_method: str,
    user: User | AnonymousUser,
    language: str,
    expected_total: int | None,
    client: limits.BuyerClient | None = None,
) -> CheckoutResult:
    """Place the order of ``cart`` to be paid by ``payment_method``.

    The way to pay must be one the site offers now (the form offered it, but
    the browser is not trusted) and one every brand of the cart takes for its
    part: ``order_place`` checks that on the prices it locks. The same
    ``checkout_token`` again returns the first order. Errors are returned,
    not raised: ``PaymentMethodRefused``, ``CartChanged``, ``CartEmpty``,
    ``OutOfStock``, ``OrderAmountInvalid``.
    """
    if payment_method not in methods_enabled():
        return CheckoutResult(
            order=None,
            quote=checkout_quote(
                cart=cart, language=language, destination=details.country
            ),
            error=PaymentMethodRefused(),
        )
    priced = order_services.Priced()
    try:
        order = order_services.order_place(
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
    except ProductsRemoved as error:
        # The lines no longer for sale were dropped: show the cart as it is now.
        return CheckoutResult(
            order=None,
            quote=checkout_quote(
                cart=cart, language=language, destination=details.country
            ),
            error=error,
        )
    except ShopError as error:
        summary = priced.summary or _empty(details.country)
        return CheckoutResult(
            order=None,
            quote=CheckoutQuote(
                summary=summary,
                choices=payment_choices(summary=summary, language=language),
            ),
            error=error,
        )
    quote = None
    if priced.summary is not None:
        quote = CheckoutQuote(
            summary=priced.summary,
            choices=payment_choices(summary=priced.summary, language=language),
        )
    warning = None
    if order.payment_method == PaymentMethod.CARD:
        try:
            order = payment_services.order_payment_start(order=order)
        except ShopError as error:
            warning = error.message
    return CheckoutResult(order=order, quote=quote, error=None, warning=warning)
