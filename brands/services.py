"""Writes of the brands app."""

from __future__ import annotations

from django.db import transaction

from core.page_cache import page_cache_purge_keys

from .models import ProductVariant
from .selectors import cache_keys_of_variants


@transaction.atomic
def variant_save(*, variant: ProductVariant) -> ProductVariant:
    """Validate and save a variant, then drop cached pages showing its price.

    Raises ``django.core.exceptions.ValidationError`` with translated messages
    for bad prices, weights, SKUs or a non-Vietnamese product.
    """
    variant.full_clean()
    variant.save()
    _purge_on_commit(cache_keys_of_variants([variant.pk]))
    return variant


@transaction.atomic
def variant_delete(*, variant: ProductVariant) -> None:
    keys = cache_keys_of_variants([variant.pk])
    variant.delete()
    _purge_on_commit(keys)


def _purge_on_commit(keys: list[str]) -> None:
    # The pages showing the product (its own, its brand's, the listings).
    transaction.on_commit(lambda: page_cache_purge_keys(keys))
