"""Background work of the shop (django-tasks: immediate in dev and tests,
the database worker in production). Enqueued after commit by the services."""

from __future__ import annotations

from django_tasks import task


@task()
def order_paid_emails_send(order_id: int) -> int:
    """Send the buyer's receipt and each organisation's order notice (once)."""
    from .services import order_paid_emails_deliver

    return order_paid_emails_deliver(order_id=order_id)


@task()
def orders_expire_task() -> int:
    """Expire lapsed unpaid orders (scheduled every few minutes in production)."""
    from .services import orders_expire

    return orders_expire().expired


@task()
def orders_reconcile_task() -> int:
    from .services import orders_reconcile

    return orders_reconcile().paid
