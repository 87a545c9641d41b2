"""Carts: services that change them and the selector that prices them.

A cart stores variant ids and quantities only. Every view re-reads prices,
titles and availability through ``brands.selectors`` and the stock table, so
what the buyer sees is always the server's current truth.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F

from brands.selectors import VariantForSale, variant_for_sale, variants_for_sale
from core.digits import ascii_int

from .addresses import HOME_COUNTRY
from .errors import InvalidQuantity, OutOfStock, ProductUnavailable
from .models import (
    ABROAD,
    Cart,
    CartLine,
    PaymentMethod,
    ShippingPolicy,
    StockRecord,
)
from .payments.methods import methods_enabled

SESSION_KEY = "shop_cart"


def parse_quantity(raw) -> int:
    """A quantity from user input: 1..SHOP_MAX_LINE_QUANTITY or InvalidQuantity."""
    quantity = ascii_int(str(raw), max_digits=6) if raw is not None else None
    if quantity is None or not 1 <= quantity <= settings.SHOP_MAX_LINE_QUANTITY:
        raise InvalidQuantity()
    return quantity


def parse_public_id(raw) -> uuid.UUID:
    try:
        return uuid.UUID(str(raw))
    except (TypeError, ValueError, AttributeError) as error:
        raise ProductUnavailable() from error


# --- Finding the cart -----------------------------------------------------------


def cart_for_request(request, *, create: bool = False) -> Cart | None:
    """The signed-in user's cart, or the anonymous session's cart."""
    user = request.user
    if user.is_authenticated:
        cart = Cart.objects.filter(user=user).first()
        if cart is None and create:
            cart = _cart_create_for_user(user=user)
        return cart
    public_id = request.session.get(SESSION_KEY)
    if public_id:
        cart = Cart.objects.filter(public_id=public_id, user__isnull=True).first()
        if cart is not None:
            return cart
    if not create:
        return None
    cart = Cart.objects.create()
    request.session[SESSION_KEY] = str(cart.public_id)
    return cart


def _cart_create_for_user(*, user) -> Cart:
    try:
        with transaction.atomic():
            return Cart.objects.create(user=user)
    except IntegrityError:
        # Two tabs created it at once: the other one won.
        return Cart.objects.get(user=user)


def cart_count(request) -> int:
    cart = cart_for_request(request)
    if cart is None:
        return 0
    return sum(cart.lines.values_list("quantity", flat=True))


# --- Changing the cart ----------------------------------------------------------


def _available(variant_id: int) -> int:
    record = StockRecord.objects.filter(variant_id=variant_id).first()
    return record.quantity_available if record else 0


def _purchasable(public_id: uuid.UUID, language: str) -> VariantForSale:
    variant = variant_for_sale(public_id=public_id, language=language)
    if variant is None or not variant.is_purchasable or not variant.organisation_id:
        raise ProductUnavailable()
    return variant


@transaction.atomic
def cart_add(
    *, cart: Cart, variant_public_id: uuid.UUID, quantity: int, language: str
) -> int:
    """Add ``quantity`` units; returns the line's new quantity.

    Raises ``ProductUnavailable``, ``InvalidQuantity`` (over the per-line cap)
    or ``OutOfStock`` (more than is available right now).
    """
    variant = _purchasable(variant_public_id, language)
    line = (
        CartLine.objects.select_for_update()
        .filter(cart=cart, variant_public_id=variant.public_id)
        .first()
    )
    new_quantity = quantity + (line.quantity if line else 0)
    if new_quantity > settings.SHOP_MAX_LINE_QUANTITY:
        raise InvalidQuantity()
    if new_quantity > _available(variant.variant_id):
        raise OutOfStock([variant.product_title])
    if line is None:
        CartLine.objects.create(
            cart=cart, variant_public_id=variant.public_id, quantity=new_quantity
        )
    else:
        CartLine.objects.filter(pk=line.pk).update(quantity=new_quantity)
    Cart.objects.filter(pk=cart.pk).update(updated_at=F("updated_at"))
    return new_quantity


@transaction.atomic
def cart_set_quantity(
    *, cart: Cart, variant_public_id: uuid.UUID, quantity: int, language: str
) -> None:
    """Set a line's quantity (0 removes it). Raises like ``cart_add``."""
    if quantity == 0:
        cart_remove(cart=cart, variant_public_id=variant_public_id)
        return
    line = (
        CartLine.objects.select_for_update()
        .filter(cart=cart, variant_public_id=variant_public_id)
        .first()
    )
    if line is None:
        raise ProductUnavailable()
    variant = _purchasable(variant_public_id, language)
    if quantity > _available(variant.variant_id):
        raise OutOfStock([variant.product_title])
    CartLine.objects.filter(pk=line.pk).update(quantity=quantity)


@transaction.atomic
def cart_remove(*, cart: Cart, variant_public_id: uuid.UUID) -> None:
    CartLine.objects.filter(cart=cart, variant_public_id=variant_public_id).delete()


@transaction.atomic
def cart_merge_into_user(*, session_cart: Cart, user) -> Cart:
    """Move an anonymous cart's lines into the user's cart at login.

    Quantities of the same variant are added (capped at the per-line maximum);
    the anonymous cart is deleted. Called from the allauth adapter's ``login``.
    """
    cart = Cart.objects.filter(user=user).first() or _cart_create_for_user(user=user)
    if session_cart.pk == cart.pk:
        return cart
    existing = {line.variant_public_id: line for line in cart.lines.all()}
    for line in session_cart.lines.all():
        mine = existing.get(line.variant_public_id)
        if mine is None:
            CartLine.objects.create(
                cart=cart,
                variant_public_id=line.variant_public_id,
                quantity=line.quantity,
            )
        else:
            CartLine.objects.filter(pk=mine.pk).update(
                quantity=min(
                    mine.quantity + line.quantity, settings.SHOP_MAX_LINE_QUANTITY
                )
            )
    session_cart.delete()
    return cart


@transaction.atomic
def cart_clear(*, cart: Cart, variant_public_ids) -> None:
    CartLine.objects.filter(
        cart=cart, variant_public_id__in=list(variant_public_ids)
    ).delete()


# --- Pricing the cart -----------------------------------------------------------


@dataclass
class CartLineView:
    variant: VariantForSale
    quantity: int
    available: int
    line_total: int

    @property
    def is_short(self) -> bool:
        return self.quantity > self.available


@dataclass
class BrandGroup:
    organisation_id: int
    brand_title: str
    brand_url: str
    lines: list[CartLineView] = field(default_factory=list)
    subtotal: int = 0
    shipping_fee: int = 0
    free_over: int | None = None
    # Ways to pay this brand does not take for this part, and why
    # (ShippingPolicy.refusal); ``accepts`` are the site's others.
    refusals: dict[str, str] = field(default_factory=dict)
    cod_limit: int | None = None
    accepts: list[PaymentMethod] = field(default_factory=list)
    # False when the cart ships abroad and this brand does not.
    ships: bool = True

    @property
    def total(self) -> int:
        return self.subtotal + self.shipping_fee


@dataclass
class CartSummary:
    groups: list[BrandGroup]
    unavailable: list[uuid.UUID]
    subtotal: int
    shipping_total: int
    total: int
    # The country the shipping was priced for (ISO code).
    destination: str = HOME_COUNTRY

    @property
    def is_empty(self) -> bool:
        return not self.groups

    @property
    def is_abroad(self) -> bool:
        return self.destination != HOME_COUNTRY

    @property
    def not_shipping(self) -> list[BrandGroup]:
        """Brands of the cart that do not ship to its destination."""
        return [group for group in self.groups if not group.ships]

    @property
    def has_problems(self) -> bool:
        return bool(self.unavailable) or any(
            line.is_short for group in self.groups for line in group.lines
        )

    @property
    def item_count(self) -> int:
        return sum(line.quantity for group in self.groups for line in group.lines)


def shipping_fee_for(
    *, organisation_id: int, subtotal: int, policies: dict, abroad: bool = False
) -> tuple[int, int | None]:
    policy = policies.get(organisation_id)
    if policy is None:
        return 0, None
    # Free shipping from an amount is for Vietnam only.
    return policy.fee_for(subtotal, abroad=abroad), None if abroad else policy.free_over


def cart_summary(
    *, lines: dict[uuid.UUID, int], language: str, destination: str = HOME_COUNTRY
) -> CartSummary:
    """Price ``lines`` (variant public id -> quantity) from current data,
    shipped to ``destination`` (an ISO country code).

    Constant number of queries: variants, stock, shipping policies (which
    also say which ways to pay each brand takes for its part, and whether it
    ships abroad; a brand without a policy ships in Vietnam only).
    """
    abroad = destination != HOME_COUNTRY
    variants = variants_for_sale(public_ids=lines.keys(), language=language)
    stock = {
        record.variant_id: record.quantity_available
        for record in StockRecord.objects.filter(
            variant_id__in=[v.variant_id for v in variants.values()]
        )
    }
    groups: dict[int, BrandGroup] = {}
    unavailable: list[uuid.UUID] = []
    for public_id, quantity in lines.items():
        variant = variants.get(public_id)
        if variant is None or not variant.is_purchasable or not variant.organisation_id:
            unavailable.append(public_id)
            continue
        group = groups.setdefault(
            variant.organisation_id,
            BrandGroup(
                organisation_id=variant.organisation_id,
                brand_title=variant.brand_title,
                brand_url=variant.brand_url,
            ),
        )
        line_total = variant.unit_price * quantity
        group.lines.append(
            CartLineView(
                variant=variant,
                quantity=quantity,
                available=stock.get(variant.variant_id, 0),
                line_total=line_total,
            )
        )
        group.subtotal += line_total
    policies = {
        policy.organisation_id: policy
        for policy in ShippingPolicy.objects.filter(organisation_id__in=groups)
    }
    for group in groups.values():
        policy = policies.get(group.organisation_id)
        group.ships = not abroad or (policy is not None and policy.ships_abroad)
        group.shipping_fee, group.free_over = shipping_fee_for(
            organisation_id=group.organisation_id,
            subtotal=group.subtotal,
            policies=policies,
            abroad=abroad,
        )
        _payment_terms(group, policy, abroad=abroad)
    ordered = sorted(groups.values(), key=lambda g: g.brand_title)
    subtotal = sum(g.subtotal for g in ordered)
    shipping = sum(g.shipping_fee for g in ordered)
    return CartSummary(
        groups=ordered,
        unavailable=unavailable,
        subtotal=subtotal,
        shipping_total=shipping,
        total=subtotal + shipping,
        destination=destination,
    )


def _payment_terms(
    group: BrandGroup, policy: ShippingPolicy | None, *, abroad: bool
) -> None:
    """What ``group``'s brand takes for its part; a brand without a policy
    takes every way to pay the site offers. Abroad, only the card."""
    if abroad:
        for method in PaymentMethod.values:
            if method != PaymentMethod.CARD:
                group.refusals[method] = ABROAD
    if policy is not None:
        group.cod_limit = policy.cod_limit if policy.accepts_cod else None
        for method in PaymentMethod.values:
            reason = policy.refusal(method, group.total)
            if reason and method not in group.refusals:
                group.refusals[method] = reason
    group.accepts = [
        PaymentMethod(method)
        for method in methods_enabled()
        if method not in group.refusals
    ]


def cart_lines(*, cart: Cart | None) -> dict[uuid.UUID, int]:
    if cart is None:
        return {}
    return dict(cart.lines.values_list("variant_public_id", "quantity"))
