"""Two organisations, each with a brand subtree, media and people, for isolation tests."""

from __future__ import annotations

import io
from dataclasses import dataclass

from django.core.files.base import ContentFile
from PIL import Image as PILImage
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page, Revision, UploadedFile

from brands.models import BrandIndexPage, BrandPage, ProductPage, ProductVariant
from organisations.models import Membership, Organisation
from organisations.services import (
    PROVINCE_STAFF_GROUP,
    moderation_workflow_ensure,
    organisation_grant_page_permissions,
    province_staff_group_ensure,
)
from pages.models import HomePage
from tests.factories import UserFactory, member, onboarded_organisation
from tests.factories.pages import BrandIndexPageFactory


def jpeg_bytes(size=(64, 48), colour=(200, 120, 40)) -> bytes:
    buffer = io.BytesIO()
    PILImage.new("RGB", size, colour).save(buffer, "JPEG")
    return buffer.getvalue()


@dataclass
class House:
    """One organisation's brand subtree, media and people."""

    organisation: Organisation
    brand: BrandPage
    product: ProductPage  # live
    draft: ProductPage  # never published, one extra draft revision
    revision: Revision
    image: object
    document: object
    editor: object
    owner: object
    upload: UploadedFile
    variant: ProductVariant
    marker: str


def _add_product(brand: BrandPage, title: str, *, live: bool) -> ProductPage:
    product = ProductPage(title=title, category="rice", live=live)
    brand.add_child(instance=product)
    revision = product.save_revision()
    if live:
        revision.publish()
    product.refresh_from_db()
    return product


def build_house(index: BrandIndexPage, letter: str) -> House:
    marker = f"SECRET-{letter}-7f3a"
    organisation = onboarded_organisation(trading_name=f"HTX {letter} {marker}")
    brand = BrandPage(title=f"Brand {letter} {marker}", organisation=organisation)
    index.add_child(instance=brand)
    brand.save_revision().publish()
    organisation_grant_page_permissions(organisation=organisation, page=brand)
    product = _add_product(brand, f"Product {letter} {marker}", live=True)
    draft = _add_product(brand, f"Draft {letter} {marker}", live=False)
    draft.title = f"Draft {letter} second {marker}"
    revision = draft.save_revision()
    image = get_image_model().objects.create(
        title=f"Image {letter} {marker}",
        file=ContentFile(jpeg_bytes(), name=f"{letter.lower()}.jpg"),
        collection=organisation.collection,
    )
    document = get_document_model().objects.create(
        title=f"Document {letter} {marker}",
        file=ContentFile(b"%PDF-1.4\n%%EOF\n", name=f"{letter.lower()}.pdf"),
        collection=organisation.collection,
    )
    editor = member(organisation, Membership.Role.EDITOR)
    owner = member(organisation, Membership.Role.OWNER)
    upload = UploadedFile.objects.create(
        file=ContentFile(jpeg_bytes(), name=f"upload-{letter.lower()}.jpg"),
        uploaded_by_user=editor,
    )
    variant = ProductVariant.objects.create(
        product=product,
        sku=f"{letter}-001",
        name=f"Túi 5 kg {marker}",
        name_en="5 kg bag",
        price=120_000,
        weight_grams=5_000,
    )
    return House(
        variant=variant,
        organisation=organisation,
        brand=brand,
        product=product,
        draft=draft,
        revision=revision,
        image=image,
        document=document,
        editor=editor,
        owner=owner,
        upload=upload,
        marker=marker,
    )


def province_staff_user():
    staff = UserFactory(email="canbo@example.com")
    staff.groups.add(province_staff_group_ensure())
    return staff


def moderated_index(home: HomePage) -> BrandIndexPage:
    index = BrandIndexPageFactory(parent=home, publish=True)
    moderation_workflow_ensure(pages=[Page.objects.get(pk=index.pk)])
    return index


__all__ = [
    "PROVINCE_STAFF_GROUP",
    "House",
    "build_house",
    "jpeg_bytes",
    "moderated_index",
    "province_staff_user",
]
