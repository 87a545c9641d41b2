"""Where in the admin an organisation's people take each next step."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from wagtail.models import Locale

from organisations.models import Organisation

from ..models import BrandPage, ProductPage


@dataclass(frozen=True)
class BrandAdminLinks:
    """Exact admin/site URLs for one organisation's brand (default language)."""

    brand_edit: str
    # The first product's editor, where its traceability records (batches)
    # are; adding a first product when there is none yet.
    product_traceability: str
    label_sheet: str
    has_products: bool


def brand_admin_links(*, organisation: Organisation) -> BrandAdminLinks | None:
    """Links to the organisation's brand editor, product traceability and QR
    label sheet; None when it has no brand page (or is not verified: its
    members have no admin until then)."""
    if not organisation.is_verified:
        return None
    brands = BrandPage.objects.filter(organisation=organisation)
    brand = (
        brands.filter(locale=Locale.get_default()).order_by("path").first()
        or brands.order_by("path").first()
    )
    if brand is None:
        return None
    product = ProductPage.objects.child_of(brand).order_by("path").first()
    if product is None:
        traceability = reverse(
            "wagtailadmin_pages:add",
            args=("brands", "productpage", brand.pk),
        )
    else:
        traceability = reverse("wagtailadmin_pages:edit", args=(product.pk,))
    return BrandAdminLinks(
        brand_edit=reverse("wagtailadmin_pages:edit", args=(brand.pk,)),
        product_traceability=traceability,
        label_sheet=reverse("brands:label_sheet", args=(brand.translation_key,)),
        has_products=product is not None,
    )
