"""Background work of the shop (django-tasks: immediate in dev and tests,
the database worker in production). Enqueued after commit by the services."""

from __future__ import annotations

from django_tasks import task

from . import emails


@task()
def order_paid_emails_send(order_id: int) -> int:
    """Send the buyer's receipt and each organisation's order notice (once)."""
    return emails.order_paid_emails_deliver(order_id=order_id)


@task()
def order_cod_emails_send(order_id: int) -> int:
    """Send a cash-on-delivery order's confirmation and brand notices (once)."""
    return emails.order_cod_emails_deliver(order_id=order_id)


@task()
def buyer_notice_send(notice_id: int) -> int:
    """Tell the buyer a brand shipped, delivered or refunded its part (once)."""
    return emails.buyer_notice_deliver(notice_id=notice_id)
