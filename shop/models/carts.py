"""Carts, saved addresses and the brands' shipping policies."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class ShippingPolicy(models.Model):
    """A brand's shipping fee: flat per order, free from a subtotal upwards."""

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

    class Meta:
        verbose_name = _("shipping policy")
        verbose_name_plural = _("shipping policies")

    def __str__(self) -> str:
        return f"{self.organisation}: {self.flat_fee}"

    def fee_for(self, subtotal: int) -> int:
        if self.free_over is not None and subtotal >= self.free_over:
            return 0
        return self.flat_fee


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


class SavedAddress(models.Model):
    """A shipping address a signed-in buyer keeps for later orders."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="addresses"
    )
    recipient_name = models.CharField(_("recipient"), max_length=120)
    phone = models.CharField(_("phone"), max_length=20)
    province = models.CharField(_("province"), max_length=60)
    commune = models.CharField(_("commune / ward"), max_length=120)
    street = models.CharField(_("street address"), max_length=255)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("saved address")
        verbose_name_plural = _("saved addresses")

    def __str__(self) -> str:
        return f"{self.recipient_name}, {self.street}, {self.commune}, {self.province}"
