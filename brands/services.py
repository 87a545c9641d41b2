"""Writes of the brands app."""

from __future__ import annotations

from django.db import transaction

from core.page_cache import page_cache_purge

from .models import ProductVariant


@transaction.atomic
def variant_save(*, variant: ProductVariant) -> ProductVariant:
    """Validate and save a variant, then drop cached pages showing its price.

    Raises ``django.core.exceptions.ValidationError`` with translated messages
    for bad prices, weights, SKUs or a non-Vietnamese product.
    """
    variant.full_clean()
    variant.save()
    transaction.on_commit(page_cache_purge)
    return variant


@transaction.atomic
def variant_delete(*, variant: ProductVariant) -> None:
    variant.delete()
    transaction.on_commit(page_cache_purge)
