"""Writes of the brands app."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import router, transaction
from django.db.models import Q
from django.db.models.deletion import Collector, ProtectedError, RestrictedError
from wagtail.models import Page

from core.page_cache import page_cache_purge_keys

from .errors import PageHasOrders, ProductHasOrders
from .models import ProductVariant
from .selectors import cache_keys_of_variants


def _delete_would_be_refused(objects) -> bool:
    """Whether the database would refuse to delete ``objects`` and their cascade.

    Django's own deletion collector walks the same relations ``delete()``
    would, without deleting: a PROTECT or RESTRICT anywhere below (the shop's
    stock holds for orders point at the variants' stock records) is found
    here, whichever app owns it, instead of as a server error mid-delete.
    """
    collector = Collector(using=router.db_for_write(ProductVariant))
    try:
        collector.collect(objects)
    except (ProtectedError, RestrictedError):
        return True
    return False


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
    """Delete a variant nobody ordered; raises ``ProductHasOrders`` otherwise."""
    if _delete_would_be_refused([variant]):
        raise ProductHasOrders
    keys = cache_keys_of_variants([variant.pk])
    variant.delete()
    _purge_on_commit(keys)


def _purge_on_commit(keys: list[str]) -> None:
    # The pages showing the product (its own, its brand's, the listings).
    transaction.on_commit(lambda: page_cache_purge_keys(keys))


def pages_delete_check(*, pages: Iterable[Page]) -> None:
    """Raise ``PageHasOrders`` if deleting ``pages`` would delete an ordered variant.

    Wagtail deletes a page with its subtree and, as the page trees of the
    languages are kept in sync, with its translations and theirs: all of them
    are checked.
    """
    keys = {page.translation_key for page in pages}
    roots = Page.objects.filter(translation_key__in=keys).values_list("path", flat=True)
    if not roots:
        return
    subtrees = Q(*[Q(path__startswith=path) for path in roots], _connector=Q.OR)
    if _delete_would_be_refused(Page.objects.filter(subtrees)):
        raise PageHasOrders
