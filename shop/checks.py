"""Deploy checks of the shop (``manage.py check --deploy``)."""

from __future__ import annotations

from django.conf import settings
from django.core import checks


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
