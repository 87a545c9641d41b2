"""The per-organisation ledger: what the platform owes each organisation."""

from __future__ import annotations

from django.conf import settings

from shop import money
from shop.models import Order, OrderFulfilment, OrderLine, PayableEntry, Refund


def payables_book_sale(*, order: Order) -> None:
    """Book a paid order's sales, platform fees and shipping per organisation."""
    basis_points = settings.SHOP_PLATFORM_FEE_BASIS_POINTS
    for line in OrderLine.objects.filter(order=order):
        PayableEntry.objects.create(
            organisation_id=line.organisation_id,
            order=order,
            order_line=line,
            kind=PayableEntry.Kind.SALE,
            amount=line.line_total,
            description=f"{order.number} {line.sku} × {line.quantity}",
        )
        fee = money.percent_of(line.line_total, basis_points)
        if fee:
            PayableEntry.objects.create(
                organisation_id=line.organisation_id,
                order=order,
                order_line=line,
                kind=PayableEntry.Kind.FEE,
                amount=-fee,
                description=f"{order.number} {line.sku} fee {basis_points / 100:g}%",
            )
    for fulfilment in OrderFulfilment.objects.filter(order=order, shipping_fee__gt=0):
        PayableEntry.objects.create(
            organisation_id=fulfilment.organisation_id,
            order=order,
            kind=PayableEntry.Kind.SHIPPING,
            amount=fulfilment.shipping_fee,
            description=f"{order.number} shipping",
        )


def payables_book_refund(
    *, order: Order, fulfilment: OrderFulfilment, refund: Refund
) -> None:
    """Book a refund against its organisation and give back the fee on the goods."""
    basis_points = settings.SHOP_PLATFORM_FEE_BASIS_POINTS
    PayableEntry.objects.create(
        organisation_id=fulfilment.organisation_id,
        order=order,
        refund=refund,
        kind=PayableEntry.Kind.REFUND,
        amount=-refund.amount,
        description=f"{order.number} refund",
    )
    goods_part = min(refund.amount, fulfilment.subtotal)
    fee_back = money.percent_of(goods_part, basis_points)
    if fee_back:
        PayableEntry.objects.create(
            organisation_id=fulfilment.organisation_id,
            order=order,
            refund=refund,
            kind=PayableEntry.Kind.FEE_REVERSAL,
            amount=fee_back,
            description=f"{order.number} fee returned on refund",
        )


def payables_book_cod_fee(*, order: Order, fulfilment: OrderFulfilment) -> int:
    """Book what a brand owes the platform for one cash-collected part.

    The buyer paid the brand's courier, so the platform owes nothing for the
    goods or shipping; the brand owes the platform fee on its lines, booked
    negative (``COD_FEE``). A line is booked once (``shop_payable_once_per_line``).
    Returns the fee booked.
    """
    basis_points = settings.SHOP_PLATFORM_FEE_BASIS_POINTS
    booked = 0
    for line in OrderLine.objects.filter(order=order, fulfilment=fulfilment):
        fee = money.percent_of(line.line_total, basis_points)
        if not fee:
            continue
        PayableEntry.objects.create(
            organisation_id=line.organisation_id,
            order=order,
            order_line=line,
            kind=PayableEntry.Kind.COD_FEE,
            amount=-fee,
            description=(
                f"{order.number} {line.sku} cash on delivery fee {basis_points / 100:g}%"
            ),
        )
        booked += fee
    return booked
