"""Organisation editors manage their own products and variants in the admin."""

from __future__ import annotations

from brands.models import ProductVariant
from organisations.services import organisation_grant_page_permissions
from tests.factories import member, onboarded_organisation
from tests.factories.brands import brand_page, product_page


def _setup():
    brand = brand_page(title="Gạo A")
    organisation_grant_page_permissions(organisation=brand.organisation, page=brand)
    product = product_page(brand, title="Gạo thơm", variants=1)
    other = product_page(brand_page(title="Mắm B"), title="Mắm", variants=1)
    return brand, product, other


def test_editor_lists_and_edits_only_own_variants(client, site_pages):
    brand, product, other = _setup()
    editor = member(brand.organisation)
    client.force_login(editor)
    listing = client.get("/admin/product_variants/")
    assert listing.status_code == 200
    html = listing.content.decode()
    own = product.variants.get()
    foreign = other.variants.get()
    assert own.sku in html and foreign.sku not in html
    assert client.get(f"/admin/product_variants/edit/{foreign.pk}/").status_code == 404
    response = client.post(
        f"/admin/product_variants/edit/{own.pk}/",
        {
            "product": product.pk,
            "sku": own.sku,
            "name": "Túi 2 kg",
            "name_en": "2 kg bag",
            "price": "150000",
            "weight_grams": "2000",
            "sort_order": "0",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    own.refresh_from_db()
    assert (own.name, own.price) == ("Túi 2 kg", 150_000)


def test_editor_cannot_add_a_variant_to_another_brand(client, site_pages):
    brand, product, other = _setup()
    client.force_login(member(brand.organisation))
    before = ProductVariant.objects.count()
    response = client.post(
        "/admin/product_variants/new/",
        {
            "product": other.pk,
            "sku": "HACK-1",
            "name": "x",
            "price": "1000",
            "weight_grams": "1",
            "sort_order": "0",
        },
    )
    assert response.status_code == 200  # form error: not a valid choice
    assert ProductVariant.objects.count() == before


def test_editor_adds_a_variant_and_bad_price_is_a_form_error(client, site_pages):
    brand, product, _other = _setup()
    client.force_login(member(brand.organisation))
    base = {
        "product": product.pk,
        "sku": "NEW-1",
        "name": "Túi 10 kg",
        "weight_grams": "10000",
        "sort_order": "1",
        "is_active": "on",
    }
    bad = client.post("/admin/product_variants/new/", {**base, "price": "-1"})
    assert bad.status_code == 200
    assert not ProductVariant.objects.filter(sku="NEW-1").exists()
    good = client.post("/admin/product_variants/new/", {**base, "price": "350000"})
    assert good.status_code == 302
    assert ProductVariant.objects.get(sku="NEW-1").price == 350_000


def test_outsiders_get_no_variant_admin(client, site_pages):
    _setup()
    client.force_login(member(onboarded_organisation()))
    listing = client.get("/admin/product_variants/")
    assert listing.status_code == 200
    assert "SKU-" not in listing.content.decode()


def test_editor_can_edit_own_product_page(client, site_pages):
    brand, product, other = _setup()
    client.force_login(member(brand.organisation))
    assert client.get(f"/admin/pages/{product.pk}/edit/").status_code == 200
    add = client.get(f"/admin/pages/add/brands/productpage/{brand.pk}/")
    assert add.status_code == 200


def test_variant_listing_queries_do_not_grow_with_its_rows(client, site_pages):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    brand, product, _other = _setup()
    client.force_login(member(brand.organisation))

    def listing_queries() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/admin/product_variants/").status_code == 200
        return len(queries)

    one_row = listing_queries()
    for n in range(5):
        ProductVariant.objects.create(
            product=product,
            sku=f"GA-{n}",
            name=f"Túi {n} kg",
            price=10_000 + n,
            weight_grams=1000,
        )
    assert listing_queries() == one_row
