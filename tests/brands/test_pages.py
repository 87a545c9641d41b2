"""Public brand, product, index and catalogue pages: content, SEO, query counts."""

from __future__ import annotations

import datetime
import json
import re

from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Locale

from brands.models import BrandPage, ProductPage
from tests.factories import onboarded_organisation
from tests.factories.brands import (
    brand_certificate,
    brand_page,
    product_page,
    translate,
)
from tests.factories.pages import BrandIndexPageFactory, CataloguePageFactory, home


def _queries(client, url) -> tuple[int, object]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured.captured_queries), response


def _json_ld(html: str) -> list[dict]:
    return [
        json.loads(block)
        for block in re.findall(
            r'<script type="application/ld\+json">(.*?)</script>', html, re.S
        )
    ]


def test_product_page_shows_variants_certificates_traceability_and_seo(
    client, site_pages
):
    brand = brand_page(title="HTX Hưng Phát", brand_colour="#123456")
    product = product_page(
        brand, title="Gạo ST25", variants=2, images=1, certificates=1, price=185_000
    )
    response = client.get(product.url)
    html = response.content.decode()
    assert response.status_code == 200
    assert "185.000 ₫" in html and "186.000 ₫" in html
    assert "Túi 1 kg" in html
    assert "OCOP 4★" in html
    assert "VN-AGTS-0012" in html
    assert f'class="brand-site product theme-{brand.translation_key.hex}"' in html
    css = client.get("/brand-themes.css").content.decode()
    assert f".theme-{brand.translation_key.hex}{{--brand-primary:#123456;" in css
    # The default Site follows SITE_BASE_URL (pages.site_address), as in `make run`.
    assert (
        f'<link rel="canonical" href="{settings.SITE_BASE_URL}{product.url}">' in html
    )
    assert '<meta property="og:image" content="http://testserver/media/' in html
    assert '<meta name="twitter:card" content="summary_large_image">' in html
    product_ld, breadcrumbs_ld = _json_ld(html)
    assert product_ld["@type"] == "Product"
    assert product_ld["brand"] == {"@type": "Brand", "name": "HTX Hưng Phát"}
    assert [o["price"] for o in product_ld["offers"]] == ["185000", "186000"]
    assert {o["priceCurrency"] for o in product_ld["offers"]} == {"VND"}
    assert product_ld["offers"][0]["availability"] == "https://schema.org/OutOfStock"
    assert len(product_ld["image"]) == 1
    assert breadcrumbs_ld["@type"] == "BreadcrumbList"
    assert [i["name"] for i in breadcrumbs_ld["itemListElement"]] == [
        "Trang chủ",
        "Thương hiệu",
        "HTX Hưng Phát",
        "Gạo ST25",
    ]


def test_brand_page_has_organization_json_ld(client, site_pages):
    brand = brand_page(title="Mắm Bà Năm", facebook_url="https://facebook.com/x")
    product_page(brand, title="Mắm thái")
    html = client.get(brand.url).content.decode()
    organization, _breadcrumbs = _json_ld(html)
    assert organization["@type"] == "Organization"
    assert organization["name"] == "Mắm Bà Năm"
    assert organization["sameAs"] == ["https://facebook.com/x"]
    assert "Mắm thái" in html


def test_html_in_text_fields_is_escaped_everywhere(client, site_pages):
    evil = '<script>alert(1)</script>"</script>'
    brand = brand_page(title=evil, tagline=evil)
    product = product_page(brand, title=evil, short_description=evil)
    for url in (brand.url, product.url, BrandIndexPageFactory(parent=home()).url):
        html = client.get(url).content.decode()
        assert "<script>alert(1)" not in html
    ld = _json_ld(client.get(product.url).content.decode())[0]
    assert ld["name"] == evil


def test_expired_certificates_are_hidden_from_visitors(client, site_pages):
    brand = brand_page()
    today = datetime.date.today()
    brand_certificate(
        brand, kind="haccp", valid_until=today - datetime.timedelta(days=1)
    )
    brand_certificate(
        brand, kind="organic", valid_until=today + datetime.timedelta(days=9)
    )
    html = client.get(brand.url).content.decode()
    assert "Hữu cơ" in html
    assert "HACCP" not in html


def test_product_page_queries_do_not_grow_with_variants_images_certificates(
    client, site_pages
):
    brand = brand_page()
    small = product_page(brand, variants=1, images=1, certificates=1)
    big = product_page(brand, variants=8, images=6, certificates=4)
    client.get(small.url + "?warm=1")  # renditions are created on first view
    client.get(big.url + "?warm=1")
    small_count, _ = _queries(client, small.url + "?a=1")
    big_count, _ = _queries(client, big.url + "?a=1")
    assert small_count == big_count


def _sql(client, url) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return [query["sql"] for query in captured.captured_queries]


def test_a_rendered_page_looks_up_restrictions_and_translations_once(
    client, site_pages
):
    """Wagtail's privacy check and the page cache's asked for the view
    restrictions twice; the language switcher and the hreflang links each
    read the page's translations (so did the menu and the home link with the
    site's home in the visitor's language)."""
    brand = brand_page()
    product = product_page(brand, variants=2, images=1, certificates=1)
    # The brand page also finds its default-language products' translations.
    for url, expected in ((product.url, 1), (brand.url, 2)):
        client.get(url + "?warm=1")
        sql = _sql(client, url + "?a=1")
        restrictions = [q for q in sql if 'FROM "wagtailcore_pageviewrestriction"' in q]
        assert len(restrictions) == 1, (url, restrictions)
        translations = [
            q
            for q in sql
            if q.startswith('SELECT "wagtailcore_page"."id"')
            and '"wagtailcore_page"."translation_key" =' in q
        ]
        assert len(translations) == expected, (url, translations)


def test_listing_queries_do_not_grow_with_items(client, site_pages):
    index, shop = (
        BrandIndexPageFactory(parent=home()),
        CataloguePageFactory(parent=home()),
    )
    brand = brand_page()
    product_page(brand, images=1, certificates=1)
    client.get(index.url + "?warm=0")
    client.get(shop.url + "?warm=0")
    few_index, _ = _queries(client, index.url + "?a=1")
    few_catalogue, _ = _queries(client, shop.url + "?a=1")
    for _ in range(5):
        other = brand_page()
        for _ in range(3):
            product_page(other, images=2, certificates=2, variants=3)
    client.get(index.url + "?warm=1")
    client.get(shop.url + "?warm=1")
    many_index, response = _queries(client, index.url + "?a=2")
    assert response.context["page_obj"].paginator.count == 6
    many_catalogue, response = _queries(client, shop.url + "?a=2")
    assert response.context["page_obj"].paginator.count == 16
    assert (few_index, few_catalogue) == (many_index, many_catalogue)


def _stock(product, *, on_hand, reserved=0):
    """Stock is shop data; brands tests reach it by model name, not import."""
    from django.apps import apps

    StockRecord = apps.get_model("shop", "StockRecord")
    for variant in product.variants.all():
        StockRecord.objects.create(
            variant=variant, quantity_on_hand=on_hand, quantity_reserved=reserved
        )


def test_catalogue_filters_and_sort(client, site_pages):
    shop = CataloguePageFactory(parent=home())
    rice_brand = brand_page(title="Gạo A")
    fish_brand = brand_page(title="Mắm B")
    cheap = product_page(rice_brand, title="Gạo rẻ", price=50_000)
    dear = product_page(rice_brand, title="Gạo ngon", price=300_000, certificates=1)
    product_page(fish_brand, title="Mắm thái", category="fish_sauce", price=90_000)

    def titles(**params):
        response = client.get(shop.url, params)
        assert response.status_code == 200
        return [p.title for p in response.context["products"]]

    assert titles(category="rice", sort="price") == ["Gạo rẻ", "Gạo ngon"]
    assert titles(sort="-price") == ["Gạo ngon", "Mắm thái", "Gạo rẻ"]
    assert titles(min_price=60_000, max_price=200_000) == ["Mắm thái"]
    assert titles(brand=fish_brand.slug) == ["Mắm thái"]
    assert titles(certification="ocop") == ["Gạo ngon"]
    assert titles(in_stock="on") == []  # no stock recorded yet
    _stock(dear, on_hand=5)
    _stock(cheap, on_hand=2, reserved=2)
    assert titles(in_stock="on", category="rice", sort="name") == ["Gạo ngon"]
    assert titles(q="GAO RE") == ["Gạo rẻ"]
    assert cheap.live and dear.live


def test_catalogue_bad_filter_input_is_a_form_error_not_a_500(client, site_pages):
    shop = CataloguePageFactory(parent=home())
    product_page(brand_page(), title="Gạo")
    for params in (
        {"min_price": "abc"},
        {"min_price": "-5"},
        {"min_price": "9" * 40},
        {"min_price": 500, "max_price": 100},
        {"category": "<script>"},
        {"page": "9999"},
        {"page": "x"},
    ):
        response = client.get(shop.url, params)
        assert response.status_code == 200, params
        assert b"<script>" not in response.content


def test_brand_index_filters(client, site_pages):
    from organisations.models import Commune

    index = BrandIndexPageFactory(parent=home())
    rice = brand_page(title="Gạo A")
    product_page(rice, category="rice")
    fish = brand_page(
        title="Mắm B",
        organisation=onboarded_organisation(
            commune=Commune.objects.get(name="Châu Đốc")
        ),
    )
    product_page(fish, category="fish_sauce")
    brand_certificate(fish, kind="haccp", valid_until=datetime.date(2099, 1, 1))

    def titles(**params):
        return [b.title for b in client.get(index.url, params).context["brands"]]

    assert titles() == ["Gạo A", "Mắm B"]
    assert titles(category="fish_sauce") == ["Mắm B"]
    assert titles(certification="haccp") == ["Mắm B"]
    assert titles(commune="Châu Đốc") == ["Mắm B"]
    assert titles(commune="Nowhere") == ["Gạo A", "Mắm B"]  # invalid choice ignored
    # One bad value drops only itself: the other filters still apply.
    assert titles(category="fish_sauce", commune="Nowhere") == ["Mắm B"]


def test_a_bad_catalogue_filter_keeps_the_others(client, site_pages):
    shop = CataloguePageFactory(parent=home())
    rice_brand = brand_page(title="Gạo A")
    product_page(rice_brand, title="Gạo rẻ", price=50_000)
    product_page(rice_brand, title="Gạo ngon", price=300_000)
    product_page(brand_page(title="Mắm B"), title="Mắm", category="fish_sauce")
    response = client.get(
        shop.url, {"category": "rice", "min_price": "abc", "sort": "-price"}
    )
    assert [p.title for p in response.context["products"]] == ["Gạo ngon", "Gạo rẻ"]
    assert "min_price" in response.context["filter_form"].errors
    response = client.get(shop.url, {"min_price": 100_000, "max_price": 60_000})
    assert [p.title for p in response.context["products"]] == ["Gạo ngon", "Mắm"]


def test_switching_language_keeps_the_catalogue_query(client, site_pages):
    shop = CataloguePageFactory(parent=home())
    shop_en = shop.copy_for_translation(Locale.objects.get(language_code="en"))
    shop_en.save_revision().publish()
    body = client.get(shop.url, {"category": "rice", "sort": "price"}).content.decode()
    assert f'href="{shop_en.url}?category=rice&amp;sort=price" hreflang="en"' in body
    # hreflang alternates name the page itself, without the visitor's filters.
    assert f'hreflang="en" href="http://testserver{shop_en.url}"' in body


def test_english_visitors_see_translations_and_fall_back_to_vietnamese(
    client, site_pages
):
    shop = CataloguePageFactory(parent=home())
    translate(shop, title="Products", slug="products")
    brand = brand_page(title="Gạo A")
    translated = product_page(brand, title="Gạo thơm")
    product_page(brand, title="Mắm chưa dịch")
    translate(brand, title="Rice A")
    english = translate(translated, title="Fragrant rice")
    response = client.get("/en/products/")
    titles = sorted(p.title for p in response.context["products"])
    assert titles == ["Fragrant rice", "Mắm chưa dịch"]
    # The English brand page lists the translated product and, in Vietnamese,
    # the one nobody has translated yet, as the catalogue does.
    english_brand = BrandPage.objects.get(locale__language_code="en")
    brand_titles = sorted(
        p.title for p in client.get(english_brand.url).context["products"]
    )
    assert brand_titles == ["Fragrant rice", "Mắm chưa dịch"]
    page_html = client.get(english.url).content.decode()
    assert "1 kg bag" in page_html  # variants are shared with the Vietnamese page
    # Prices read as the shop writes them in English (shop.money is the one formatter).
    assert "₫100,000" in page_html and "100.000 ₫" not in page_html
    listing = client.get("/en/products/").content.decode()
    assert "₫100,000" in listing
    assert 'hreflang="vi"' in page_html and 'hreflang="en"' in page_html


def test_sitemap_lists_brand_and_product_pages_in_both_languages(client, site_pages):
    brand = brand_page(title="Gạo A")
    product = product_page(brand, title="Gạo thơm")
    translate(product, title="Fragrant rice")
    xml = client.get("/sitemap.xml").content.decode()
    english = ProductPage.objects.get(locale__language_code="en")
    assert f"<loc>http://testserver{product.url}</loc>" in xml
    assert f"<loc>http://testserver{english.url}</loc>" in xml
    assert f'hreflang="en" href="http://testserver{english.url}"' in xml
