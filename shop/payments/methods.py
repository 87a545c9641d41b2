"""Which ways to pay the site offers (before any brand's own terms)."""

from __future__ import annotations

from django.conf import settings

from shop.models import PaymentMethod


def vietqr_configured() -> bool:
    """The receiving account of bank transfers is set up (BIN, number, holder)."""
    return bool(
        settings.SHOP_VIETQR_BANK_BIN
        and settings.SHOP_VIETQR_ACCOUNT
        and settings.SHOP_VIETQR_ACCOUNT_HOLDER
    )


def methods_enabled() -> list[str]:
    """``SHOP_PAYMENT_METHODS`` in its order, known names only, and VietQR only
    while there is an account to transfer to (otherwise the payment page
    could show no QR code)."""
    enabled = []
    for method in settings.SHOP_PAYMENT_METHODS:
        if method not in PaymentMethod.values or method in enabled:
            continue
        if method == PaymentMethod.VIETQR and not vietqr_configured():
            continue
        enabled.append(method)
    return enabled
