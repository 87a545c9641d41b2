"""Shop data: stock, carts, orders and their lines, payments, refunds, payables.

Amounts are whole Vietnamese đồng in ``PositiveBigIntegerField`` columns (see
``shop.money``). Orders copy everything they show (titles, SKUs, prices,
brand) so a paid order never changes when a product page does. Writes happen
in ``shop.services`` only.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from . import money


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
    PARTIALLY_REFUNDED = "partially_refunded", _("Partially refunded")
    REFUNDED = "refunded", _("Refunded")


# Money was taken for these orders (a refund keeps the order paid for stock,
# revenue and fulfilment); the other statuses are orders not (yet) paid.
PAID_STATUSES = (
    PaymentStatus.PAID,
    PaymentStatus.PARTIALLY_REFUNDED,
    PaymentStatus.REFUNDED,
)


class FulfilmentStatus(models.TextChoices):
    NEW = "new", _("New")
    PACKED = "packed", _("Packed")
    SHIPPED = "shipped", _("Shipped")
    DELIVERED = "delivered", _("Delivered")
    CANCELLED = "cancelled", _("Cancelled")


class Order(models.Model):
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
    province = models.CharField(_("province"), max_length=60)
    commune = models.CharField(_("commune / ward"), max_length=120)
    street = models.CharField(_("street address"), max_length=255)
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
        return self.payment_status in (PaymentStatus.PENDING, PaymentStatus.FAILED)

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


class PayableEntry(models.Model):
    """What the platform owes an organisation: + sales, − refunds, − platform fee.

    Stripe cannot pay out to Vietnamese cooperatives, so the platform settles
    by bank transfer from this ledger. Rows are only ever added.
    """

    class Kind(models.TextChoices):
        SALE = "sale", _("Sale")
        SHIPPING = "shipping", _("Shipping")
        FEE = "fee", _("Platform fee")
        REFUND = "refund", _("Refund")
        FEE_REVERSAL = "fee_reversal", _("Fee reversal")

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
