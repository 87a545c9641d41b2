"""What the buyer is told about one brand's part of their order: shipped
(with the carrier and tracking number), delivered, refunded.

An outbox: the service that moves the part writes the notice in its own
transaction (so the notice exists exactly when the event does, and the
unique constraints keep it to one per event), and a task sends it after
commit, marking it sent. A notice that is never marked sent (the worker
was down) is sent by the next run of ``shop_reconcile``.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .orders import OrderFulfilment
from .payments import Refund


class BuyerNotice(models.Model):
    class Kind(models.TextChoices):
        SHIPPED = "shipped", _("Shipped")
        DELIVERED = "delivered", _("Delivered")
        REFUNDED = "refunded", _("Refunded")

    fulfilment = models.ForeignKey(
        OrderFulfilment, on_delete=models.CASCADE, related_name="buyer_notices"
    )
    kind = models.CharField(max_length=10, choices=Kind)
    refund = models.OneToOneField(
        Refund,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="buyer_notice",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("buyer notice")
        verbose_name_plural = _("buyer notices")
        constraints = [
            # One "shipped" and one "delivered" per part; one per refund.
            models.UniqueConstraint(
                fields=["fulfilment", "kind"],
                condition=~Q(kind="refunded"),
                name="shop_buyernotice_one_per_step",
            ),
            models.CheckConstraint(
                condition=Q(kind="refunded", refund__isnull=False)
                | (~Q(kind="refunded") & Q(refund__isnull=True)),
                name="shop_buyernotice_refund_iff_refunded",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.fulfilment_id} {self.kind}"
