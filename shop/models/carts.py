"""Carts, saved addresses and the brands' shipping policies."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .addresses import PostalAddress
from .orders import PaymentMethod

# Why a brand does not take a way to pay (ShippingPolicy.refusal).
REFUSED = "refused"
OVER_LIMIT = "over_limit"
# Shipped abroad: only the card is offered (bank transfers and cash are for
# addresses in Vietnam).
ABROAD = "abroad"


class ShippingPolicy(models.Model):
    """A brand's shipping fee (flat per order, free from a subtotal upwards)
    and the ways to pay it accepts for its part of an order."""

    organisation = models.OneToOneField(
        "organisations.Organisation",
        on_delete=models.CASCADE,
        related_name="shipping_policy",
        verbose_name=_("organisation"),
    )
    flat_fee = models.PositiveBigIntegerField(_("flat shipping fee (VND)"), default=0)
    free_over = models.PositiveBigIntegerField(
        _("free shipping from (VND)"),
        null=True,
        blank=True,
        help_text=_("Orders of this brand at or above this subtotal ship free."),
    )
    # Card and VietQR money reaches the platform's accounts; cash is taken by
    # the brand's courier, so a brand may refuse it or cap what a courier
    # carries. The site's own list (SHOP_PAYMENT_METHODS) comes first.
    accepts_card = models.BooleanField(_("accepts card payments"), default=True)
    accepts_vietqr = models.BooleanField(
        _("accepts bank transfers (VietQR)"), default=True
    )
    accepts_cod = models.BooleanField(_("accepts cash on delivery"), default=True)
    # Abroad: a flat fee per part (free shipping from an amount is for Vietnam),
    # and only if the brand ships abroad at all.
    ships_abroad = models.BooleanField(_("ships abroad"), default=False)
    abroad_fee = models.PositiveBigIntegerField(
        _("shipping fee abroad (VND)"),
        default=0,
        help_text=_("Flat fee for this brand's part of an order shipped abroad."),
    )
    cod_limit = models.PositiveBigIntegerField(
        _("cash on delivery up to (VND)"),
        null=True,
        blank=True,
        help_text=_(
            "Set by the province staff: cash on delivery only while this "
            "brand's part of an order (products and shipping) is at most this "
            "amount. Empty: no limit."
        ),
    )

    class Meta:
        verbose_name = _("shipping policy")
        verbose_name_plural = _("shipping policies")

    def __str__(self) -> str:
        return f"{self.organisation}: {self.flat_fee}"

    def fee_for(self, subtotal: int, *, abroad: bool = False) -> int:
        if abroad:
            return self.abroad_fee
        if self.free_over is not None and subtotal >= self.free_over:
            return 0
        return self.flat_fee

    def refusal(self, method: str, part_total: int) -> str | None:
        """Why this brand does not take ``method`` for a part of ``part_total``
        VND: ``REFUSED``, ``OVER_LIMIT``, or None when it takes it."""
        accepts: bool = {
            str(PaymentMethod.CARD): self.accepts_card,
            str(PaymentMethod.VIETQR): self.accepts_vietqr,
            str(PaymentMethod.COD): self.accepts_cod,
        }.get(method, False)
        if not accepts:
            return REFUSED
        if method == PaymentMethod.COD and self.cod_limit is not None:
            if part_total > self.cod_limit:
                return OVER_LIMIT
        return None


class Cart(models.Model):
    """A buyer's cart: anonymous carts are found through the session, account
    carts through the user (one per user)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="cart",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("cart")
        verbose_name_plural = _("carts")

    def __str__(self) -> str:
        return str(self.public_id)


class CartLine(models.Model):
    """A variant and a quantity; prices are never stored here (re-read on view)."""

    cart = models.ForeignKey(Cart, on_delete=models.CASCADE, related_name="lines")
    variant_public_id = models.UUIDField()
    quantity = models.PositiveIntegerField()
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["added_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["cart", "variant_public_id"], name="shop_cartline_unique"
            ),
            models.CheckConstraint(
                condition=Q(quantity__gte=1), name="shop_cartline_quantity_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.variant_public_id} × {self.quantity}"


class SavedAddress(PostalAddress):
    """A shipping address a signed-in buyer keeps for later orders."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="addresses"
    )
    recipient_name = models.CharField(_("recipient"), max_length=120)
    phone = models.CharField(_("phone"), max_length=20)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("saved address")
        verbose_name_plural = _("saved addresses")

    def __str__(self) -> str:
        return ", ".join([self.recipient_name, *self.address_lines])
