"""Bank transactions reported by the bank feed or a statement import."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .orders import Order


class BankTransaction(models.Model):
    """One incoming bank transaction, recorded once whoever reports it first.

    ``(provider, bank_reference)`` is the bank's own identity of the
    transaction (the receiving bank and its reference code), which both the
    bank feed's notification and the bank's statement carry: a redelivered
    notification, a second import of the same statement, or the two racing
    all fail the unique insert and change nothing.
    """

    class Source(models.TextChoices):
        NOTIFICATION = "notification", _("Bank-feed notification")
        STATEMENT = "statement", _("Statement import")

    class Outcome(models.TextChoices):
        PAID = "paid", _("Order paid")
        REVIEW = "review", _("Needs review")
        IGNORED = "ignored", _("Ignored")
        MALFORMED = "malformed", _("Malformed")
        REFUNDED = "refunded", _("Refunded by bank")

    provider = models.CharField(_("bank"), max_length=40)
    bank_reference = models.CharField(_("bank reference"), max_length=120)
    # The bank-feed service's own id of the transaction, when it sent one.
    feed_id = models.CharField(max_length=120, blank=True)
    source = models.CharField(_("source"), max_length=12, choices=Source)
    amount = models.PositiveBigIntegerField(_("amount"))
    content = models.TextField(_("transfer content"), blank=True)
    transacted_at = models.DateTimeField(_("transaction time"), null=True, blank=True)
    raw = models.JSONField(default=dict)
    order = models.ForeignKey(
        Order,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="bank_transactions",
        verbose_name=_("order"),
    )
    outcome = models.CharField(
        _("outcome"), max_length=10, choices=Outcome, db_index=True
    )
    # A machine code (underpaid, unknown_reference, …) and a note for staff.
    reason = models.CharField(max_length=40, blank=True)
    note = models.CharField(max_length=255, blank=True)
    received_at = models.DateTimeField(auto_now_add=True)
    # Staff's decision on a transaction that went to review.
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-received_at", "-pk"]
        verbose_name = _("bank transaction")
        verbose_name_plural = _("bank transactions")
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "bank_reference"],
                name="shop_bank_transaction_once",
            ),
            models.CheckConstraint(
                condition=Q(amount__gt=0)
                | Q(outcome="malformed")
                | Q(outcome="ignored"),
                name="shop_bank_transaction_amount_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.provider} {self.bank_reference} {self.amount}"
