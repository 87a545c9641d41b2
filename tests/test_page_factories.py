"""Every concrete page type has a factory in tests/factories/pages.py (as torchbox.com)."""

from __future__ import annotations

import pytest
import wagtail_factories
from django.apps import apps
from wagtail.models import Page, get_page_models

from tests.factories import pages as page_factories

PROJECT_APPS = {"accounts", "organisations", "pages", "brands", "shop", "assessment"}


def _factories() -> dict[type[Page], type]:
    """Page model -> its factory, for the concrete factories of the module."""
    return {
        value._meta.model: value
        for value in vars(page_factories).values()
        if isinstance(value, type)
        and issubclass(value, wagtail_factories.PageFactory)
        and not value._meta.abstract
    }


def test_every_project_page_type_has_a_factory():
    project_pages = {
        model
        for model in get_page_models()
        if model._meta.app_label in PROJECT_APPS and not model._meta.abstract
    }
    assert project_pages  # the page models were found at all
    assert sorted(m.__name__ for m in project_pages - _factories().keys()) == []


@pytest.mark.django_db
def test_each_factory_builds_a_live_page_where_its_type_may_live(site_pages):
    home = page_factories.home()
    index = page_factories.BrandIndexPageFactory(parent=home)
    brand = page_factories.BrandPageFactory(parent=index)
    built = [
        page_factories.HomePageFactory(parent=Page.get_first_root_node()),
        page_factories.StandardPageFactory(parent=home),
        index,
        page_factories.CataloguePageFactory(parent=home),
        brand,
        page_factories.ProductPageFactory(parent=brand, publish=True),
    ]
    assert {type(page) for page in built} == set(_factories())
    for page in built:
        assert page.live
        assert type(page.get_parent().specific) in page.allowed_parent_page_models()
    # The indexes are one per parent: asking again gives the same page.
    assert page_factories.BrandIndexPageFactory(parent=home).pk == index.pk
    assert (
        apps.get_model("brands", "BrandIndexPage").objects.child_of(home).count() == 1
    )
