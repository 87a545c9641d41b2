"""One wagtail-factories factory per page type of the project.

`tests/test_page_factories.py` fails when a concrete Page subclass has none.
Pages are created under the `parent` given (`SomePageFactory(parent=home)`);
the index pages are get-or-create under their parent, as a site has one each.
"""

from __future__ import annotations

import factory
import wagtail_factories

from brands.models import BrandIndexPage, BrandPage, CataloguePage, ProductPage
from pages.models import HomePage, StandardPage

from . import OrganisationFactory


def home(*, language: str = "vi") -> HomePage:
    """The seeded home page of ``language`` (the `site_pages` fixture makes them)."""
    return HomePage.objects.get(locale__language_code=language)


class _PageFactory(wagtail_factories.PageFactory):
    """`publish=True`: also give the page a published revision (the admin's
    workflow and history screens need one; `add_child` alone makes none)."""

    class Meta:
        abstract = True
        # The hook saves through a revision itself; no second plain save().
        skip_postgeneration_save = True

    @factory.post_generation
    def publish(obj, create, extracted, **kwargs):
        if create and extracted and obj.latest_revision is None:
            obj.save_revision().publish()


class HomePageFactory(_PageFactory):
    class Meta:
        model = HomePage

    title = factory.Sequence(lambda n: f"Trang chủ {n}")
    hero_title = "Thương hiệu số An Giang"


class StandardPageFactory(_PageFactory):
    class Meta:
        model = StandardPage

    title = factory.Sequence(lambda n: f"Giới thiệu {n}")


class BrandIndexPageFactory(_PageFactory):
    class Meta:
        model = BrandIndexPage
        django_get_or_create = ("parent",)

    title = "Thương hiệu"
    slug = "thuong-hieu"


class CataloguePageFactory(_PageFactory):
    class Meta:
        model = CataloguePage
        django_get_or_create = ("parent",)

    title = "Sản phẩm"
    slug = "san-pham"


class BrandPageFactory(_PageFactory):
    class Meta:
        model = BrandPage

    title = factory.Sequence(lambda n: f"Thương hiệu {n}")
    slug = factory.Sequence(lambda n: f"thuong-hieu-{n}")
    organisation = factory.SubFactory(OrganisationFactory)


class ProductPageFactory(_PageFactory):
    class Meta:
        model = ProductPage

    title = factory.Sequence(lambda n: f"Sản phẩm {n}")
    slug = factory.Sequence(lambda n: f"san-pham-{n}")
    category = "rice"
