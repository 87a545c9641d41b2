"""Stripe events applied once, and refunds."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .orders import Order, OrderFulfilment


class ProcessedStripeEvent(models.Model):
    """A Stripe event applied once: the primary key makes redeliveries no-ops."""

    event_id = models.CharField(max_length=255, primary_key=True)
    type = models.CharField(max_length=100)
    processed_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.event_id} {self.type}"


class Refund(models.Model):
    class Status(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        SUCCEEDED = "succeeded", _("Succeeded")
        FAILED = "failed", _("Failed")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="refunds")
    fulfilment = models.ForeignKey(
        OrderFulfilment, on_delete=models.PROTECT, related_name="refunds"
    )
    stripe_refund_id = models.CharField(
        max_length=255, null=True, blank=True, unique=True
    )
    amount = models.PositiveBigIntegerField(_("amount"))
    reason = models.CharField(_("reason"), max_length=255, blank=True)
    status = models.CharField(max_length=10, choices=Status, default=Status.REQUESTED)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    applied_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gte=1), name="shop_refund_positive"
            )
        ]

    def __str__(self) -> str:
        return f"{self.order_id} −{self.amount}"
