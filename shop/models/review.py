"""The review log: every time an order was put in front of staff, and why.

The order's own flag and note are a summary for listings; a second problem
must never hide the first, so each flag is a row of its own here, written by
``shop.services.review.order_flag_review`` only.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from .orders import Order


class ReviewReason(models.TextChoices):
    """The machine codes services flag orders with, and what staff read."""

    AMOUNT_MISMATCH = "amount_mismatch", _("Card payment of the wrong amount")
    REPLACED_INTENT_CHARGED = (
        "replaced_intent_charged",
        _("An earlier card payment attempt was charged"),
    )
    SOLD_MEANWHILE = "sold_meanwhile", _("Paid after the stock was sold")
    UNKNOWN_REFUND = "unknown_refund", _("Refund made outside this site")
    UNKNOWN_REFERENCE = "unknown_reference", _("Transfer names no known order")
    SEVERAL_REFERENCES = "several_references", _("Transfer names several orders")
    NOT_TRANSFER_ORDER = (
        "not_transfer_order",
        _("Transfer for an order not paid by transfer"),
    )
    ALREADY_PAID = "already_paid", _("Transfer for an order already paid")
    SECOND_TRANSFER = "second_transfer", _("Second transfer for the order")
    UNDERPAID = "underpaid", _("Transfer below the order total")
    OVERPAID = "overpaid", _("Transfer above the order total")
    AFTER_EXPIRY = "after_expiry", _("Transfer after the order expired")
    NOT_PAYABLE = "not_payable", _("Transfer for an order that cannot be paid")


class OrderReviewEntry(models.Model):
    order = models.ForeignKey(
        Order,
        on_delete=models.CASCADE,
        related_name="review_entries",
        verbose_name=_("order"),
    )
    # Not limited to the choices: a code added by a new service is still kept
    # (and shown raw) rather than refused at the moment money is at stake.
    reason = models.CharField(_("reason"), max_length=40, choices=ReviewReason)
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("flagged at"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("order review entry")
        verbose_name_plural = _("order review entries")

    def __str__(self) -> str:
        return f"{self.order_id}: {self.reason}"
