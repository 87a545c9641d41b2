"""Orders placed as a guest join the account that proves it owns their email."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.models import AbstractBaseUser

from shop.models import Order


def guest_orders_attach(*, user: AbstractBaseUser, emails: Iterable[str]) -> int:
    """Give ``user`` the guest orders placed with any of ``emails``; how many.

    Callers pass verified addresses only: an unverified one is a claim anybody
    can type, and attaching on it would show a stranger's orders, addresses and
    phone numbers. Orders already on an account are never moved.
    """
    attached = 0
    for email in {e.strip().lower() for e in emails if e and e.strip()}:
        attached += Order.objects.filter(user__isnull=True, email__iexact=email).update(
            user=user
        )
    return attached
