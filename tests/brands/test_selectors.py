"""The read API the shop uses: brands.selectors."""

from __future__ import annotations

import uuid

from django.db import connection
from django.test.utils import CaptureQueriesContext

from brands.models import ProductVariant
from brands.selectors import variant_for_sale, variants_for_sale
from tests.factories.brands import brand_page, product_page, translate


def test_variants_for_sale_in_constant_queries_with_language_fallback(site_pages):
    brand = brand_page(title="Gạo A", brand_colour="#112233")
    first = product_page(brand, title="Gạo thơm", variants=2, images=1)
    second = product_page(brand, title="Mắm", variants=3)
    translate(brand, title="Rice A")
    translate(first, title="Fragrant rice")
    one = [first.variants.first().public_id]
    every = list(ProductVariant.objects.values_list("public_id", flat=True))
    variants_for_sale(public_ids=every, language="en")  # renditions
    with CaptureQueriesContext(connection) as few:
        variants_for_sale(public_ids=one, language="en")
    with CaptureQueriesContext(connection) as many:
        result = variants_for_sale(public_ids=every, language="en")
    assert len(few.captured_queries) == len(many.captured_queries)
    assert len(result) == 5
    sale = result[one[0]]
    assert sale.product_title == "Fragrant rice"
    assert sale.variant_name == "1 kg bag"
    assert sale.brand_title == "Rice A"
    assert sale.product_url.startswith("/en/")
    assert sale.unit_price == 100_000
    assert sale.is_purchasable is True
    assert sale.organisation_id == brand.organisation_id
    assert sale.image_url is not None
    untranslated = result[second.variants.first().public_id]
    assert untranslated.product_title == "Mắm"
    assert untranslated.variant_name == "1 kg bag"


def test_unpublished_product_or_inactive_variant_is_not_purchasable(site_pages):
    product = product_page(brand_page(), variants=2)
    first, second = product.variants.all()
    second.is_active = False
    second.save()
    assert variant_for_sale(public_id=first.public_id, language="vi").is_purchasable
    assert not variant_for_sale(
        public_id=second.public_id, language="vi"
    ).is_purchasable
    product.unpublish()
    assert not variant_for_sale(public_id=first.public_id, language="vi").is_purchasable


def test_unknown_or_malformed_ids_give_nothing(site_pages):
    assert variant_for_sale(public_id=uuid.uuid4(), language="vi") is None
    assert variant_for_sale(public_id="not-a-uuid", language="vi") is None
    assert variants_for_sale(public_ids=[], language="vi") == {}
