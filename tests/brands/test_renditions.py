"""Image renditions of brand pages: warmed pages create no rendition on their
first view; publishing warms in the background (slots: tests/core)."""

from __future__ import annotations

from wagtail.images import get_image_model

from brands.renditions import pages_renditions_warm
from core.page_cache import cache_generation
from core.renditions import image_renditions_warm, slot_specs
from pages.models import HomePage
from pages.renditions import site_renditions_warm
from tests.factories.brands import (
    brand_page,
    image,
    product_page,
)
from tests.factories.pages import BrandIndexPageFactory, CataloguePageFactory, home

Rendition = get_image_model().get_rendition_model()


def _specs(img) -> set[str]:
    return set(img.renditions.values_list("filter_spec", flat=True))


def test_warmed_pages_create_no_rendition_when_viewed(client, site_pages):
    brand = brand_page(
        logo=image("logo", size=(300, 300)), hero_image=image("hero", (1600, 600))
    )
    products = [product_page(brand, images=2) for _ in range(2)]
    shop = CataloguePageFactory(parent=home())
    created = pages_renditions_warm([brand, *products])
    assert created > 0
    # A second warm-up finds them all.
    assert pages_renditions_warm([brand, *products]) == 0

    before = Rendition.objects.count()
    for page in (shop, BrandIndexPageFactory(parent=home()), brand, *products):
        response = client.get(page.url)
        assert response.status_code == 200, page.url
        assert b"<picture" in response.content
    assert Rendition.objects.count() == before


def test_unwarmed_catalogue_creates_renditions_on_first_view(client, site_pages):
    # The counterpart of the test above: the GET really does create them.
    product_page(brand_page(), images=1)
    before = Rendition.objects.count()
    assert client.get(CataloguePageFactory(parent=home()).url).status_code == 200
    assert Rendition.objects.count() == before + len(slot_specs("product_card"))


def test_site_warm_up_covers_the_home_hero_and_is_idempotent(site_pages):
    home = HomePage.objects.get(locale__language_code="vi")
    home.hero_image = image("home-hero", size=(1600, 700))
    home.save()
    product = product_page(brand_page(), images=1)
    assert site_renditions_warm() > 0
    assert _specs(home.hero_image) == set(slot_specs("home_hero"))
    first = product.gallery_images.first().image
    assert set(slot_specs("product_card")) <= _specs(first)
    assert site_renditions_warm() == 0


def test_publishing_a_product_warms_its_images_after_commit(
    site_pages, django_capture_on_commit_callbacks
):
    product = product_page(brand_page(), images=2)
    first, second = (item.image for item in product.gallery_images.all())
    assert not _specs(first)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        product.save_revision().publish()
    # Nothing is created inside the publishing transaction...
    assert not _specs(first)
    for callback in callbacks:
        callback()  # ...but after commit (tasks run immediately in tests).
    assert set(slot_specs("product_card")) <= _specs(first)
    assert set(slot_specs("product_gallery_first")) <= _specs(first)
    assert set(slot_specs("product_gallery")) <= _specs(second)
    assert not set(slot_specs("product_card")) & _specs(second)


def test_publishing_a_brand_warms_its_logo_and_hero(
    site_pages, django_capture_on_commit_callbacks
):
    brand = brand_page(logo=image("logo2", (300, 300)), hero_image=image("hero2"))
    with django_capture_on_commit_callbacks(execute=True):
        brand.save_revision().publish()
    assert set(slot_specs("brand_logo")) <= _specs(brand.logo)
    assert set(slot_specs("brand_hero")) <= _specs(brand.hero_image)


def test_a_new_file_for_a_shown_image_warms_its_pages_again(
    client, site_pages, django_capture_on_commit_callbacks
):
    import io

    from django.contrib.auth import get_user_model
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse
    from PIL import Image as PILImage

    product = product_page(brand_page(), images=1)
    photo = product.gallery_images.first().image
    pages_renditions_warm([product])
    old_files = set(photo.renditions.values_list("file", flat=True))
    admin = get_user_model().objects.create_superuser(
        email="images@example.com", password="x-1234567890"
    )
    client.force_login(admin)
    generation = cache_generation()
    buffer = io.BytesIO()
    PILImage.new("RGB", (900, 600), (200, 40, 40)).save(buffer, "JPEG")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("wagtailimages:edit", args=[photo.pk]),
            {
                "title": photo.title,
                "file": SimpleUploadedFile("new.jpg", buffer.getvalue()),
                "collection": photo.collection_id,
                "tags": "",
            },
        )
    assert response.status_code == 302, response.context["form"].errors
    # Cached pages pointed at the deleted renditions: the page cache was purged.
    assert cache_generation() != generation
    photo.refresh_from_db()
    # Wagtail dropped the old renditions; the page's are back, from the new file.
    assert set(slot_specs("product_card")) <= _specs(photo)
    assert not old_files & set(photo.renditions.values_list("file", flat=True))


def test_a_moved_focal_point_needs_new_crops_and_gets_them(site_pages):
    product = product_page(brand_page(), images=1)
    photo = product.gallery_images.first().image
    uses = {photo: {"product_card"}}
    assert image_renditions_warm(uses) > 0
    assert image_renditions_warm(uses) == 0
    photo.focal_point_x, photo.focal_point_y = 10, 10
    photo.focal_point_width, photo.focal_point_height = 8, 8
    photo.save()
    # Fill crops are cut around the focal point: the old ones do not count.
    assert image_renditions_warm(uses) > 0
    assert image_renditions_warm(uses) == 0
