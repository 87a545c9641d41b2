"""The real app with one fault installed: its worker SIGKILLs itself at a step.

The crash tests (``test_crash_recovery.py``) serve it with gunicorn:

    gunicorn --preload 'tests.shop.crash_app:build("intent-created", "/tmp/x/marker")'

``build`` loads the project's WSGI application (``config.wsgi``, unchanged) and
wraps ONE real function of the shop: the function runs and does its work, then
the worker process kills itself with SIGKILL. No exception unwinds, no
``finally`` or ``atexit`` runs, Django rolls nothing back and says no goodbye
to the database: what an OOM kill or a ``kill -9`` during a deploy does. What
the database and Stripe hold at that instant is what recovery starts from.

The fault fires once. Before dying the worker writes ``marker`` (the step and
its pid, read by the test); the worker gunicorn starts in its place finds the
marker and runs normally, as the restarted app. Production code imports
nothing from here and has no test-only branch: the wrapping happens only in
the process gunicorn starts with this module.
"""

from __future__ import annotations

import functools
import os
import signal
from collections.abc import Callable


def _die_once(step: str, marker: str, *, in_transaction: bool) -> None:
    from django.db import connection

    try:
        fd = os.open(marker, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return  # the restarted worker: the crash already happened
    with os.fdopen(fd, "w") as handle:
        # The test checks the crash happened where it meant it to: inside the
        # step's open transaction, or after its commit.
        handle.write(f"{step} {os.getpid()} {int(connection.in_atomic_block)}\n")
    if connection.in_atomic_block != in_transaction:
        raise RuntimeError(f"{step}: expected in_transaction={in_transaction}")
    os.kill(os.getpid(), signal.SIGKILL)


def _after(function: Callable, step: str, marker: str, *, in_transaction: bool):
    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        result = function(*args, **kwargs)
        _die_once(step, marker, in_transaction=in_transaction)
        return result

    return wrapper


def _before(function: Callable, step: str, marker: str, *, in_transaction: bool):
    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        _die_once(step, marker, in_transaction=in_transaction)
        return function(*args, **kwargs)

    return wrapper


def _install(step: str, marker: str) -> None:
    from django.db.models.signals import post_save

    from shop.models import Order
    from shop.payments import gateway, webhooks
    from shop.services import orders as order_services
    from shop.services import payments as payment_services

    if step == "order-insert":
        # Right after the INSERT of the order row, inside order_place()'s
        # transaction (lines, stock holds and the emptied cart not yet done).
        def order_inserted(sender, instance, created, **kwargs):
            if created:
                _die_once(step, marker, in_transaction=True)

        post_save.connect(order_inserted, sender=Order, weak=False)
    elif step == "order-commit":
        # order_place() committed; the view has not asked Stripe for anything.
        order_services.order_place = _after(
            order_services.order_place, step, marker, in_transaction=False
        )
    elif step == "intent-created":
        # Stripe (localstripe) created the PaymentIntent; its id is not saved.
        gateway.payment_intent_create = _after(
            gateway.payment_intent_create, step, marker, in_transaction=False
        )
    elif step == "card-confirmed":
        # Stripe charged the card; the browser never gets the answer.
        gateway.payment_intent_pay_with_card = _after(
            gateway.payment_intent_pay_with_card, step, marker, in_transaction=False
        )
    elif step == "webhook-before-commit":
        # The event is recorded and fully applied (paid, stock sold, ledger
        # booked) in webhook_process()'s transaction, which never commits.
        for event_type, handler in list(webhooks.HANDLERS.items()):
            webhooks.HANDLERS[event_type] = _after(
                handler, step, marker, in_transaction=True
            )
    elif step == "webhook-after-commit":
        # The webhook's transaction committed "paid"; the emails to the buyer
        # and the brands are not queued yet (the on-commit callback's start).
        payment_services.order_paid_emails_enqueue = _before(
            payment_services.order_paid_emails_enqueue,
            step,
            marker,
            in_transaction=False,
        )
    else:
        raise ValueError(f"unknown crash step {step!r}")


def build(step: str, marker: str):
    """gunicorn's application factory: the project's app with the fault in place."""
    from django.db import connections

    from config.wsgi import application

    _install(step, marker)
    # gunicorn --preload forks the workers from this process: a database
    # connection opened here would be one socket shared by every worker, and
    # a killed worker's open transaction would live on in this process's copy
    # instead of being rolled back. Each worker must connect on its own.
    connections.close_all()
    return application
