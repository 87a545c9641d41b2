"""Page tree rules and bad input on brand, product, certificate and variant fields."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from wagtail.test.utils import WagtailTestUtils  # noqa: F401 - keeps wagtail test utils importable

from brands.models import (
    BrandCertification,
    BrandIndexPage,
    BrandPage,
    CataloguePage,
    ProductPage,
    ProductVariant,
    TraceabilityRecord,
    add_months,
)
from pages.models import HomePage
from tests.factories.brands import brand_page, product_page


def test_page_tree_is_pinned():
    assert BrandIndexPage.parent_page_types == ["pages.HomePage"]
    assert BrandPage.parent_page_types == ["brands.BrandIndexPage"]
    assert ProductPage.parent_page_types == ["brands.BrandPage"]
    assert CataloguePage.parent_page_types == ["pages.HomePage"]
    assert ProductPage.subpage_types == []
    assert BrandIndexPage.can_create_at(HomePage()) is True
    assert ProductPage.can_create_at(HomePage()) is False


def test_vietnamese_title_gives_readable_slug_on_clean(site_pages):
    brand = brand_page()
    page = ProductPage(title="Nước mắm 🐟 Châu Đốc", slug="", category="fish_sauce")
    brand.add_child(instance=page)
    assert page.slug == "nuoc-mam-chau-doc"


def test_duplicate_slug_in_one_brand_is_refused_and_nothing_saved(site_pages):
    brand = brand_page()
    product_page(brand, slug="gao-st25")
    before = ProductPage.objects.count()
    with pytest.raises(ValidationError) as error:
        brand.add_child(
            instance=ProductPage(title="Gạo", slug="gao-st25", category="rice")
        )
    assert "slug" in error.value.message_dict
    assert ProductPage.objects.count() == before


def test_second_brand_page_for_one_organisation_is_refused(site_pages):
    brand = brand_page()
    with pytest.raises(ValidationError) as error:
        brand_page(organisation=brand.organisation)
    assert error.value.message_dict["organisation"] == [
        "Đơn vị này đã có trang thương hiệu."
    ]


def test_ocop_expiry_defaults_to_36_months(site_pages):
    brand = brand_page()
    cert = BrandCertification(
        page=brand,
        kind="ocop",
        ocop_stars=4,
        number="1",
        issuer="UBND",
        issued_on=datetime.date(2024, 2, 29),
    )
    cert.full_clean(exclude=["page"])
    assert cert.valid_until == datetime.date(2027, 2, 28)
    assert add_months(datetime.date(2024, 1, 31), 1) == datetime.date(2024, 2, 29)


def test_certificate_bad_dates_and_stars_give_clear_messages():
    cert = BrandCertification(
        kind="vietgap",
        ocop_stars=4,
        number="1",
        issuer="X",
        issued_on=datetime.date(2024, 5, 1),
        valid_until=datetime.date(2024, 4, 1),
    )
    with pytest.raises(ValidationError) as error:
        cert.clean()
    assert error.value.message_dict == {
        "ocop_stars": ["Số sao chỉ áp dụng cho giấy chứng nhận OCOP."],
        "valid_until": ["Ngày hết hạn không được trước ngày cấp."],
    }


def test_ocop_without_stars_is_refused():
    cert = BrandCertification(
        kind="ocop", number="1", issuer="X", issued_on=datetime.date(2024, 5, 1)
    )
    with pytest.raises(ValidationError) as error:
        cert.clean()
    assert list(error.value.message_dict) == ["ocop_stars"]


@pytest.mark.parametrize("code", ["VN-AGTS-0012", "vn-agts-0012", "VN-AG-TS-00005"])
def test_valid_growing_area_codes(code):
    record = TraceabilityRecord(growing_area_code=code)
    record.clean()
    assert record.growing_area_code == code.upper()


@pytest.mark.parametrize(
    "code", ["12345", "VN-0012", "VN AGTS 0012", "<script>", "VN-AGTS-12"]
)
def test_invalid_growing_area_codes_are_refused(code):
    record = TraceabilityRecord(growing_area_code=code)
    with pytest.raises(ValidationError) as error:
        record.clean()
    assert list(error.value.message_dict) == ["growing_area_code"]
    assert "VN-AGLA-0012" in error.value.message_dict["growing_area_code"][0]


@pytest.mark.parametrize(
    ("fields", "bad_field"),
    [
        ({"price": -5}, "price"),
        ({"price": 0}, "price"),
        ({"price": 10**12}, "price"),
        ({"weight_grams": 0}, "weight_grams"),
        ({"weight_grams": 5_000_000}, "weight_grams"),
        ({"compare_at_price": 50_000}, "compare_at_price"),
        ({"sku": "x" * 65}, "sku"),
    ],
)
def test_bad_variant_values_are_refused_and_nothing_saved(
    site_pages, fields, bad_field
):
    from brands.services import variant_save

    product = product_page(brand_page(), variants=0)
    values = {
        "product": product,
        "sku": "OK-1",
        "name": "Túi 1 kg",
        "price": 100_000,
        "weight_grams": 1000,
        **fields,
    }
    with pytest.raises(ValidationError) as error:
        variant_save(variant=ProductVariant(**values))
    assert bad_field in error.value.message_dict
    assert ProductVariant.objects.count() == 0


def test_variant_must_point_at_the_vietnamese_product(site_pages):
    from brands.services import variant_save
    from tests.factories.brands import translate

    product = product_page(brand_page(), variants=0)
    english = translate(product, title="Rice")
    with pytest.raises(ValidationError) as error:
        variant_save(
            variant=ProductVariant(
                product=english, sku="EN-1", name="x", price=1000, weight_grams=1
            )
        )
    assert error.value.message_dict["product"] == [
        "Hãy chọn phiên bản tiếng Việt của sản phẩm."
    ]
    assert ProductVariant.objects.count() == 0


def test_search_text_is_folded_on_save(site_pages):
    product = product_page(brand_page(), title="Nước mắm Châu Đốc")
    assert ProductPage.objects.get(pk=product.pk).search_text.startswith(
        "nuoc mam chau doc"
    )
