"""Stock records (not revisioned, apart from the pages) and the holds on them."""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from .orders import Order


class StockRecord(models.Model):
    """Units of one variant: on hand, and reserved by unpaid orders.

    Not revisioned and not on the page: changes are conditional UPDATEs in
    ``shop.stock`` so concurrent buyers can never both take the last unit.
    """

    variant = models.OneToOneField(
        "brands.ProductVariant",
        on_delete=models.CASCADE,
        related_name="stock",
        verbose_name=_("variant"),
    )
    quantity_on_hand = models.PositiveIntegerField(_("quantity on hand"), default=0)
    quantity_reserved = models.PositiveIntegerField(_("quantity reserved"), default=0)
    low_stock_threshold = models.PositiveIntegerField(
        _("low-stock threshold"), default=5
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("stock record")
        verbose_name_plural = _("stock records")
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity_reserved__lte=F("quantity_on_hand")),
                name="shop_stock_reserved_lte_on_hand",
            )
        ]

    def __str__(self) -> str:
        return f"{self.variant_id}: {self.quantity_on_hand}/{self.quantity_reserved}"

    @property
    def quantity_available(self) -> int:
        return self.quantity_on_hand - self.quantity_reserved

    @property
    def availability(self) -> str:
        """What buyers see: in stock, running low, or sold out (never a count)."""
        return availability_level(
            available=self.quantity_available, threshold=self.low_stock_threshold
        )


class Availability(models.TextChoices):
    IN_STOCK = "in_stock", _("In stock")
    LOW = "low", _("Running low")
    OUT = "out", _("Sold out")


def availability_level(*, available: int, threshold: int) -> str:
    # The brand's low-stock alert threshold doubles as the buyer's "running
    # low": the brand is warned at the same moment buyers are.
    if available <= 0:
        return Availability.OUT
    if available <= threshold:
        return Availability.LOW
    return Availability.IN_STOCK


class StockReservation(models.Model):
    class Status(models.TextChoices):
        HELD = "held", _("Held")
        SOLD = "sold", _("Sold")
        RELEASED = "released", _("Released")

    order = models.ForeignKey(
        Order, on_delete=models.CASCADE, related_name="reservations"
    )
    stock = models.ForeignKey(
        StockRecord, on_delete=models.PROTECT, related_name="reservations"
    )
    quantity = models.PositiveIntegerField()
    status = models.CharField(max_length=10, choices=Status, default=Status.HELD)
    expires_at = models.DateTimeField(db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["order", "stock"], name="shop_reservation_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.order_id}/{self.stock_id} × {self.quantity} ({self.status})"
