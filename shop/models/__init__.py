"""Shop data: stock, carts, orders and their lines, payments, refunds, payables.

Amounts are whole Vietnamese đồng in ``PositiveBigIntegerField`` columns (see
``shop.money``). Writes happen in ``shop.services`` only. Every model is
re-exported here so that ``shop.models.X`` keeps working for Django and callers.
"""

from .bank import BankTransaction
from .carts import Cart, CartLine, SavedAddress, ShippingPolicy
from .ledger import PayableEntry
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
from .stock import StockRecord, StockReservation

__all__ = [
    "PAID_STATUSES",
    "BankTransaction",
    "Cart",
    "CartLine",
    "FulfilmentStatus",
    "Order",
    "OrderFulfilment",
    "OrderLine",
    "OrderNumberCounter",
    "PartPaymentState",
    "PayableEntry",
    "PaymentMethod",
    "PaymentStatus",
    "ProcessedStripeEvent",
    "Refund",
    "SavedAddress",
    "ShippingPolicy",
    "StockRecord",
    "StockReservation",
]
