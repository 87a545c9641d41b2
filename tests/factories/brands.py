"""Builders for brand trees: index -> brand -> products, with variants and images."""

from __future__ import annotations

import datetime
import io
import itertools

from django.core.files.images import ImageFile
from PIL import Image as PILImage
from wagtail.images import get_image_model
from wagtail.models import Locale

from brands.models import (
    BrandCertification,
    BrandPage,
    ProductCertification,
    ProductGalleryImage,
    ProductPage,
    ProductVariant,
    TraceabilityRecord,
)

from . import onboarded_organisation
from .pages import BrandIndexPageFactory, BrandPageFactory, home

_counter = itertools.count(1)


def image(title: str = "photo", size=(64, 48)):
    buffer = io.BytesIO()
    PILImage.new("RGB", size, (30, 120, 60)).save(buffer, "JPEG")
    return get_image_model().objects.create(
        title=title, file=ImageFile(buffer, name=f"{title}.jpg")
    )


def brand_page(*, organisation=None, **fields) -> BrandPage:
    """A brand of an onboarded organisation under the Vietnamese brand index."""
    return BrandPageFactory(
        parent=BrandIndexPageFactory(parent=home()),
        organisation=organisation or onboarded_organisation(),
        **{name: value for name, value in fields.items() if value is not None},
    )


def product_page(
    brand: BrandPage,
    *,
    title=None,
    variants: int = 1,
    images: int = 0,
    certificates: int = 0,
    category: str = "rice",
    price: int = 100_000,
    **fields,
) -> ProductPage:
    n = next(_counter)
    page = ProductPage(
        title=title or f"Sản phẩm {n}",
        slug=fields.pop("slug", f"san-pham-{n}"),
        category=category,
        **fields,
    )
    for i in range(images):
        page.gallery_images.add(
            ProductGalleryImage(image=image(f"p{n}-{i}"), sort_order=i)
        )
    for i in range(certificates):
        page.certifications.add(
            ProductCertification(
                kind="ocop",
                ocop_stars=4,
                number=f"OCOP-{n}-{i}",
                issuer="UBND tỉnh An Giang",
                issued_on=datetime.date.today() - datetime.timedelta(days=30),
            )
        )
    page.traceability_records.add(
        TraceabilityRecord(lot_number=f"L{n}", growing_area_code="VN-AGTS-0012")
    )
    brand.add_child(instance=page)
    for i in range(variants):
        ProductVariant.objects.create(
            product=page,
            sku=f"SKU-{n}-{i}",
            name=f"Túi {i + 1} kg",
            name_en=f"{i + 1} kg bag",
            price=price + i * 1000,
            weight_grams=1000 * (i + 1),
            sort_order=i,
        )
    return page


def translate(page, *, title: str, language: str = "en", **fields):
    """Publish an English translation of ``page`` (parents must be translated)."""
    locale = Locale.objects.get(language_code=language)
    translated = page.copy_for_translation(locale, copy_parents=True)
    translated.title = title
    for name, value in fields.items():
        setattr(translated, name, value)
    translated.save_revision().publish()
    return translated


def brand_certificate(
    brand: BrandPage, *, kind="vietgap", issued_on=None, valid_until=None
):
    cert = BrandCertification(
        page=brand,
        kind=kind,
        number=f"C-{next(_counter)}",
        issuer="Trung tâm",
        issued_on=issued_on or datetime.date(2024, 1, 1),
        valid_until=valid_until,
    )
    cert.save()
    return cert
