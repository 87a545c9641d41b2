"""Orders, their per-brand parts (fulfilments) and lines.

Orders copy everything they show (titles, SKUs, prices, brand) so a paid
order never changes when a product page does.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from shop import money

from .addresses import PostalAddress


class OrderNumberCounter(models.Model):
    """The last order number used per year (``AG-2026-000123``)."""

    year = models.PositiveIntegerField(primary_key=True)
    last_number = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.year}: {self.last_number}"


class PaymentStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting payment")
    FAILED = "failed", _("Payment failed")
    EXPIRED = "expired", _("Expired")
    PAID = "paid", _("Paid")
    # Cash on delivery only: some brands' parts were paid in cash, the others
    # are still on the way, or were cancelled or refused (each part says which).
    PARTIALLY_PAID = "partially_paid", _("Partly paid")
    # Cash on delivery only: every part was cancelled or refused, none paid.
    CANCELLED = "cancelled", _("Cancelled")
    PARTIALLY_REFUNDED = "partially_refunded", _("Partially refunded")
    REFUNDED = "refunded", _("Refunded")


# Money was taken for these orders (a refund keeps the order paid for stock,
# revenue and fulfilment); the other statuses are orders not (yet) paid.
PAID_STATUSES = (
    PaymentStatus.PAID,
    PaymentStatus.PARTIALLY_PAID,
    PaymentStatus.PARTIALLY_REFUNDED,
    PaymentStatus.REFUNDED,
)


class PaymentMethod(models.TextChoices):
    CARD = "card", _("Card")
    VIETQR = "vietqr", _("Bank transfer (VietQR)")
    COD = "cod", _("Cash on delivery")


class FulfilmentStatus(models.TextChoices):
    NEW = "new", _("New")
    # Cash on delivery: the brand has called the buyer and will ship.
    CONFIRMED = "confirmed", _("Confirmed")
    PACKED = "packed", _("Packed")
    SHIPPED = "shipped", _("Shipped")
    DELIVERED = "delivered", _("Delivered")
    CANCELLED = "cancelled", _("Cancelled")
    # Cash on delivery: refused at the door (or returned), back with the brand.
    RETURNED = "returned", _("Refused and returned")


class PartPaymentState(models.TextChoices):
    """What one brand's part of an order stands at with money (never the
    whole order's state: a refund on brand A's part says nothing of B's)."""

    AWAITING = "awaiting", _("Awaiting payment")
    PAID = "paid", _("Paid")
    PARTIALLY_REFUNDED = "partially_refunded", _("Partially refunded")
    REFUNDED = "refunded", _("Refunded")
    NOT_PAID = "not_paid", _("Not paid")
    COD_DUE = "cod_due", _("Cash on delivery: pay when it arrives")
    COD_COLLECTED = "cod_collected", _("Delivered, cash collected")
    COD_CANCELLED = "cod_cancelled", _("Cancelled, nothing to pay")
    COD_RETURNED = "cod_returned", _("Refused at delivery, nothing paid")


class Order(PostalAddress):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    number = models.CharField(_("order number"), max_length=20, unique=True)
    # The checkout form's one-time token: a second submit of the same form
    # finds this order instead of creating another.
    checkout_token = models.UUIDField(unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="orders",
    )
    language = models.CharField(max_length=8, default="vi")
    email = models.EmailField(_("email"))
    phone = models.CharField(_("phone"), max_length=20)
    recipient_name = models.CharField(_("recipient"), max_length=120)
    recipient_phone = models.CharField(_("recipient's phone"), max_length=20)
    # The shipping address: PostalAddress's fields.
    notes = models.TextField(_("order notes"), blank=True)
    terms_accepted_at = models.DateTimeField()

    currency = models.CharField(max_length=3, default=money.SHOP_CURRENCY)
    subtotal = models.PositiveBigIntegerField(_("subtotal"))
    shipping_total = models.PositiveBigIntegerField(_("shipping"))
    total = models.PositiveBigIntegerField(_("total"))
    amount_refunded = models.PositiveBigIntegerField(_("refunded"), default=0)

    payment_status = models.CharField(
        _("payment status"),
        max_length=20,
        choices=PaymentStatus,
        default=PaymentStatus.PENDING,
        db_index=True,
    )
    payment_method = models.CharField(
        _("payment method"),
        max_length=10,
        choices=PaymentMethod,
        default=PaymentMethod.CARD,
        db_index=True,
    )
    # What the buyer writes in the transfer content of a VietQR order; the
    # bank feed finds it there. Unique for ever, so a late transfer still
    # names exactly one order.
    transfer_reference = models.CharField(
        _("transfer reference"), max_length=16, null=True, blank=True, unique=True
    )
    payment_intent_id = models.CharField(
        max_length=255, null=True, blank=True, unique=True
    )
    payment_client_secret = models.CharField(max_length=255, blank=True, editable=False)
    # Set by the one request allowed to create the PaymentIntent, so parallel
    # submits make one create call; a stale claim (crash) may be retaken.
    payment_claimed_at = models.DateTimeField(null=True, blank=True)
    payment_attempt = models.PositiveIntegerField(default=1)
    needs_review = models.BooleanField(_("needs review"), default=False)
    review_note = models.CharField(max_length=255, blank=True)
    reserved_until = models.DateTimeField()
    paid_at = models.DateTimeField(null=True, blank=True)
    # When the receipt and the brands' order notices went out. Null on a paid
    # order means they are still owed: the process that committed "paid" may
    # have died before queueing them, and reconciliation queues them again.
    paid_emails_sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("order")
        verbose_name_plural = _("orders")
        constraints = [
            models.CheckConstraint(
                condition=Q(total=F("subtotal") + F("shipping_total")),
                name="shop_order_total_adds_up",
            ),
            models.CheckConstraint(
                condition=Q(amount_refunded__lte=F("total")),
                name="shop_order_refund_lte_total",
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def is_payable(self) -> bool:
        """Whether the buyer can pay online now (a cash-on-delivery order is
        paid to each brand's courier, never on the site)."""
        return (
            self.payment_status in (PaymentStatus.PENDING, PaymentStatus.FAILED)
            and self.payment_method != PaymentMethod.COD
        )

    @property
    def is_paid(self) -> bool:
        return self.payment_status in PAID_STATUSES


class OrderFulfilment(models.Model):
    """One brand's part of an order: its lines, shipping fee and delivery status."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    order = models.ForeignKey(
        Order, on_delete=models.CASCADE, related_name="fulfilments"
    )
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="order_fulfilments",
        verbose_name=_("organisation"),
    )
    brand_title = models.CharField(_("brand"), max_length=255)
    subtotal = models.PositiveBigIntegerField(_("subtotal"))
    shipping_fee = models.PositiveBigIntegerField(_("shipping"))
    amount_refunded = models.PositiveBigIntegerField(_("refunded"), default=0)
    status = models.CharField(
        _("fulfilment status"),
        max_length=20,
        choices=FulfilmentStatus,
        default=FulfilmentStatus.NEW,
        db_index=True,
    )
    carrier = models.CharField(_("carrier"), max_length=80, blank=True)
    tracking_number = models.CharField(_("tracking number"), max_length=80, blank=True)
    # Cash on delivery: when the brand said the cash was collected (the part
    # is paid from then on; the money stays with the brand).
    cash_collected_at = models.DateTimeField(
        _("cash collected at"), null=True, blank=True
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-order__created_at", "pk"]
        verbose_name = _("brand order")
        verbose_name_plural = _("brand orders")
        constraints = [
            models.UniqueConstraint(
                fields=["order", "organisation"], name="shop_fulfilment_unique_brand"
            ),
            models.CheckConstraint(
                condition=Q(amount_refunded__lte=F("subtotal") + F("shipping_fee")),
                name="shop_fulfilment_refund_lte_total",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.order.number} · {self.brand_title}"

    @property
    def total(self) -> int:
        return self.subtotal + self.shipping_fee

    @property
    def refundable(self) -> int:
        return self.total - self.amount_refunded

    @property
    def payment_state(self) -> str:
        """This part's own money state (``PartPaymentState``), from its own
        columns and its order's method and status only."""
        order = self.order
        if order.payment_method == PaymentMethod.COD:
            if self.cash_collected_at is not None:
                return PartPaymentState.COD_COLLECTED
            if self.status == FulfilmentStatus.RETURNED:
                return PartPaymentState.COD_RETURNED
            if self.status == FulfilmentStatus.CANCELLED:
                return PartPaymentState.COD_CANCELLED
            return PartPaymentState.COD_DUE
        if not order.is_paid:
            if order.is_payable:
                return PartPaymentState.AWAITING
            return PartPaymentState.NOT_PAID
        if self.amount_refunded == 0:
            return PartPaymentState.PAID
        if self.amount_refunded >= self.total:
            return PartPaymentState.REFUNDED
        return PartPaymentState.PARTIALLY_REFUNDED

    def get_payment_state_display(self) -> str:
        return str(PartPaymentState(self.payment_state).label)


class OrderLine(models.Model):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="lines")
    fulfilment = models.ForeignKey(
        OrderFulfilment, on_delete=models.CASCADE, related_name="lines"
    )
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    variant = models.ForeignKey(
        "brands.ProductVariant",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    variant_public_id = models.UUIDField()
    product_title = models.CharField(_("product"), max_length=255)
    variant_name = models.CharField(_("variant"), max_length=255)
    sku = models.CharField(_("SKU"), max_length=64)
    unit_price = models.PositiveBigIntegerField(_("unit price"))
    quantity = models.PositiveIntegerField(_("quantity"))
    line_total = models.PositiveBigIntegerField(_("line total"))

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(line_total=F("unit_price") * F("quantity")),
                name="shop_line_total_adds_up",
            ),
            models.CheckConstraint(
                condition=Q(quantity__gte=1), name="shop_line_qty_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.sku} × {self.quantity}"
