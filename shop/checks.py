"""Checks of the shop: its settings, and its deploy checks (``check --deploy``)."""

from __future__ import annotations

from django.conf import settings
from django.core import checks

from .models import PaymentMethod


@checks.register(checks.Tags.security, deploy=True)
def stripe_configured(app_configs, **kwargs):
    errors = []
    if not settings.STRIPE_SECRET_KEY:
        errors.append(
            checks.Error(
                "STRIPE_SECRET_KEY is not set: the shop cannot take payments.",
                id="shop.E001",
            )
        )
    if not settings.STRIPE_WEBHOOK_SECRET:
        errors.append(
            checks.Error(
                "STRIPE_WEBHOOK_SECRET is not set: no payment can be confirmed.",
                id="shop.E002",
            )
        )
    base = settings.STRIPE_API_BASE or ""
    if base.startswith(("http://127.", "http://localhost")):
        errors.append(
            checks.Error(
                "STRIPE_API_BASE points at a local fake Stripe (localstripe).",
                id="shop.E003",
            )
        )
    return errors


@checks.register()
def payment_methods_known(app_configs, **kwargs):
    """SHOP_PAYMENT_METHODS names only ways to pay the shop has."""
    unknown = [m for m in settings.SHOP_PAYMENT_METHODS if m not in PaymentMethod]
    if unknown:
        return [
            checks.Error(
                f"SHOP_PAYMENT_METHODS names unknown ways to pay: {unknown}; "
                f"known are {list(PaymentMethod.values)}.",
                id="shop.E004",
            )
        ]
    return []
