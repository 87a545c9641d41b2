"""A new owner's first steps, each computed from the brand's real data.

Shown on the admin dashboard (``joining.wagtail_hooks``) until every step is
done; each item links to the exact place where the step is done.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from brands.models import (
    BrandPage,
    ProductCertification,
    ProductPage,
    ProductVariant,
    TraceabilityRecord,
)
from brands.starter import story_is_starter
from shop.models import StockRecord


@dataclass(frozen=True)
class ChecklistItem:
    key: str
    label: str | Promise
    done: bool
    url: str


def _edit(page) -> str:
    return reverse("wagtailadmin_pages:edit", args=[page.pk])


def brand_checklist(*, page: BrandPage) -> list[ChecklistItem]:
    """The seven steps from a starter page to a published brand with a product."""
    # The owner's latest draft, not the published row: a logo added and
    # saved as a draft counts.
    draft = page.get_latest_revision_as_object()
    edit_brand = _edit(page)
    products = ProductPage.objects.child_of(page).order_by("path")
    first_product = products.first()
    add_product = reverse(
        "wagtailadmin_pages:add", args=["brands", "productpage", page.pk]
    )
    variants = ProductVariant.objects.filter(product__in=products)
    has_variant = variants.exists()
    has_stock = StockRecord.objects.filter(
        variant__in=variants, quantity_on_hand__gt=0
    ).exists()
    has_certificate = (
        bool(list(draft.certifications.all()))
        or ProductCertification.objects.filter(page__in=products).exists()
    )
    has_traceability = TraceabilityRecord.objects.filter(page__in=products).exists()
    product_place = _edit(first_product) if first_product else add_product
    if not has_variant:
        stock_place = reverse("product_variants:add")
    else:
        stock_place = reverse("shop_stock:index")
    submitted = page.live or page.workflow_in_progress
    return [
        ChecklistItem("logo", _("Add your logo"), bool(draft.logo_id), edit_brand),
        ChecklistItem(
            "story",
            _("Tell your story"),
            bool(draft.story) and not story_is_starter(draft),
            edit_brand,
        ),
        ChecklistItem(
            "product",
            _("Add your first product"),
            first_product is not None,
            add_product,
        ),
        ChecklistItem(
            "stock",
            _("Add its first variant (pack and price) and stock"),
            has_variant and has_stock,
            stock_place,
        ),
        ChecklistItem(
            "certificates", _("Add your certificates"), has_certificate, edit_brand
        ),
        ChecklistItem(
            "traceability",
            _("Record where your product comes from (traceability)"),
            has_traceability,
            product_place,
        ),
        ChecklistItem(
            "moderation",
            _("Submit your brand page for moderation"),
            submitted,
            edit_brand,
        ),
    ]
