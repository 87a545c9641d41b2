"""Shop data: stock, carts, orders and their lines, payments, refunds, payables.

Amounts are whole Vietnamese đồng in ``PositiveBigIntegerField`` columns (see
``shop.money``). Writes happen in ``shop.services`` only. Every model is
re-exported here so that ``shop.models.X`` keeps working for Django and callers.
"""

from .bank import BankTransaction
from .carts import (
    ABROAD,
    OVER_LIMIT,
    REFUSED,
    Cart,
    CartLine,
    SavedAddress,
    ShippingPolicy,
)
from .ledger import PayableEntry
from .notices import BuyerNotice
from .orders import (
    PAID_STATUSES,
    FulfilmentStatus,
    Order,
    OrderFulfilment,
    OrderLine,
    OrderNumberCounter,
    PartPaymentState,
    PaymentMethod,
    PaymentStatus,
)
from .payments import ProcessedStripeEvent, Refund
from .review import OrderReviewEntry, ReviewReason
from .stock import Availability, StockRecord, StockReservation, availability_level

__all__ = [
    "ABROAD",
    "OVER_LIMIT",
    "PAID_STATUSES",
    "REFUSED",
    "BankTransaction",
    "BuyerNotice",
    "Cart",
    "CartLine",
    "FulfilmentStatus",
    "Order",
    "OrderFulfilment",
    "OrderLine",
    "OrderNumberCounter",
    "OrderReviewEntry",
    "PartPaymentState",
    "PayableEntry",
    "PaymentMethod",
    "PaymentStatus",
    "ProcessedStripeEvent",
    "Refund",
    "ReviewReason",
    "SavedAddress",
    "ShippingPolicy",
    "Availability",
    "StockRecord",
    "availability_level",
    "StockReservation",
]
