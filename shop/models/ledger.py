"""The per-organisation ledger of payables."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .orders import Order, OrderLine
from .payments import Refund


class PayableEntry(models.Model):
    """What the platform owes an organisation: + sales, − refunds, − platform fee.

    Cash-on-delivery sales run the other way: the cash is with the brand, so
    only ``COD_FEE`` (what the brand owes the platform) is booked for them.

    Stripe cannot pay out to Vietnamese cooperatives, so the platform settles
    by bank transfer from this ledger. Rows are only ever added.
    """

    class Kind(models.TextChoices):
        SALE = "sale", _("Sale")
        SHIPPING = "shipping", _("Shipping")
        FEE = "fee", _("Platform fee")
        REFUND = "refund", _("Refund")
        FEE_REVERSAL = "fee_reversal", _("Fee reversal")
        # Cash on delivery: the brand holds the buyer's cash, so the only
        # entry is the platform fee the brand owes (negative, like FEE).
        COD_FEE = "cod_fee", _("Platform fee on cash on delivery")

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="payables"
    )
    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="payables")
    order_line = models.ForeignKey(
        OrderLine, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    refund = models.ForeignKey(
        Refund, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=15, choices=Kind)
    amount = models.BigIntegerField(_("amount (VND)"))
    description = models.CharField(_("description"), max_length=255)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("payable entry")
        verbose_name_plural = _("payable entries")
        constraints = [
            # A paid line is booked once however many times "paid" is applied.
            models.UniqueConstraint(
                fields=["order_line", "kind"],
                condition=Q(order_line__isnull=False),
                name="shop_payable_once_per_line",
            ),
            models.UniqueConstraint(
                fields=["refund", "kind"],
                condition=Q(refund__isnull=False),
                name="shop_payable_once_per_refund",
            ),
            models.UniqueConstraint(
                fields=["order", "organisation", "kind"],
                condition=Q(kind="shipping"),
                name="shop_payable_shipping_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id} {self.kind} {self.amount}"
