"""Shared page cache: hits, the same page for members, purge on publish/price/stock."""

from __future__ import annotations

import re

from django.test import Client
from django.urls import reverse

from brands.models import ProductVariant
from brands.services import variant_save
from shop.cart import cart_for_request
from shop.models import StockRecord
from shop.services.stock import stock_set_on_hand
from tests.factories import UserFactory
from tests.factories.brands import brand_page, product_page

ORIGIN = "http://testserver"


def test_anonymous_pages_are_cached_and_purged_on_publish(client, site_pages):
    brand = brand_page(title="Gạo cũ")
    assert client.get(brand.url)["X-Page-Cache"] == "miss"
    assert client.get(brand.url)["X-Page-Cache"] == "hit"
    brand.title = "Gạo mới"
    brand.save_revision().publish()
    response = client.get(brand.url)
    assert response["X-Page-Cache"] == "miss"
    assert "Gạo mới" in response.content.decode()


def test_home_and_product_pages_are_cached_without_a_cookie(client, site_pages):
    product = product_page(brand_page(), price=100_000)
    for url in ("/", "/en/", product.url):
        first = client.get(url)
        assert first.status_code == 200
        assert first["X-Page-Cache"] == "miss", url
        assert not first.cookies, url
        assert client.get(url)["X-Page-Cache"] == "hit", url
    assert "csrfmiddlewaretoken" not in client.get(product.url).content.decode()


def test_a_hit_runs_no_sql_query(client, site_pages, django_assert_num_queries):
    product = product_page(brand_page())
    client.get(product.url)
    client.get("/")
    with django_assert_num_queries(0):
        hit = client.get(product.url)
    assert hit["X-Page-Cache"] == "hit"
    with django_assert_num_queries(0):
        assert client.get("/")["X-Page-Cache"] == "hit"


def test_a_hit_carries_the_same_security_headers(client, site_pages):
    product = product_page(brand_page())
    miss, hit = client.get(product.url), client.get(product.url)
    assert hit["X-Page-Cache"] == "hit"
    for header in (
        "Content-Security-Policy",
        "X-Frame-Options",
        "Content-Language",
        "Content-Type",
        "Vary",
        "Referrer-Policy",
    ):
        assert hit[header] == miss[header], header
    assert hit.content == miss.content


def test_product_page_is_purged_after_publish_and_price_change(
    client, site_pages, django_capture_on_commit_callbacks
):
    product = product_page(brand_page(), price=100_000, title="Gạo ST25")
    client.get(product.url)
    assert client.get(product.url)["X-Page-Cache"] == "hit"

    product.title = "Gạo ST25 mùa mới"
    product.save_revision().publish()
    response = client.get(product.url)
    assert response["X-Page-Cache"] == "miss"
    assert "Gạo ST25 mùa mới" in response.content.decode()
    assert client.get(product.url)["X-Page-Cache"] == "hit"

    variant = ProductVariant.objects.get(product=product)
    variant.price = 120_000
    with django_capture_on_commit_callbacks(execute=True):
        variant_save(variant=variant)
    response = client.get(product.url)
    assert response["X-Page-Cache"] == "miss"
    assert "120.000 ₫" in response.content.decode()


def test_home_page_is_purged_when_a_featured_price_changes(
    client, site_pages, django_capture_on_commit_callbacks
):
    product = product_page(brand_page(), price=100_000)
    client.get("/")
    assert client.get("/")["X-Page-Cache"] == "hit"
    variant = ProductVariant.objects.get(product=product)
    variant.price = 130_000
    with django_capture_on_commit_callbacks(execute=True):
        variant_save(variant=variant)
    assert client.get("/")["X-Page-Cache"] == "miss"


def test_sold_out_and_back_in_stock_purge_the_product_page(
    client, site_pages, django_capture_on_commit_callbacks
):
    product = product_page(brand_page(), price=100_000)
    variant = ProductVariant.objects.get(product=product)
    record, _created = StockRecord.objects.get_or_create(
        variant=variant, defaults={"quantity_on_hand": 5}
    )
    stock_set_on_hand(record=record, raw_quantity="5")
    client.get(product.url)

    # A count that keeps the variant available leaves the cached page right.
    with django_capture_on_commit_callbacks(execute=True):
        stock_set_on_hand(record=record, raw_quantity="3")
    assert client.get(product.url)["X-Page-Cache"] == "hit"

    with django_capture_on_commit_callbacks(execute=True):
        stock_set_on_hand(record=record, raw_quantity="0")
    sold_out = client.get(product.url)
    assert sold_out["X-Page-Cache"] == "miss"
    assert re.search(r"<option[^>]*disabled", sold_out.content.decode())

    with django_capture_on_commit_callbacks(execute=True):
        stock_set_on_hand(record=record, raw_quantity="2")
    back = client.get(product.url)
    assert back["X-Page-Cache"] == "miss"
    assert not re.search(r"<option[^>]*disabled", back.content.decode())


def test_buyers_see_in_stock_running_low_and_sold_out_and_each_move_purges(
    client, site_pages, django_capture_on_commit_callbacks
):
    product = product_page(brand_page(), price=100_000)
    variant = ProductVariant.objects.get(product=product)
    record, _created = StockRecord.objects.get_or_create(
        variant=variant, defaults={"quantity_on_hand": 20}
    )
    stock_set_on_hand(record=record, raw_quantity="20")

    def availability() -> tuple[str, str]:
        response = client.get(product.url)
        html = response.content.decode()
        [line] = re.findall(
            r'<p class="availability availability--(\w+)">([^<]+)</p>', html
        )
        return response["X-Page-Cache"], line[1]

    assert availability() == ("miss", "Còn hàng")
    assert "(còn hàng)" in client.get(product.url).content.decode()
    # Fewer units, still above the brand's low-stock threshold (5): no purge.
    with django_capture_on_commit_callbacks(execute=True):
        stock_set_on_hand(record=record, raw_quantity="12")
    assert availability() == ("hit", "Còn hàng")
    with django_capture_on_commit_callbacks(execute=True):
        stock_set_on_hand(record=record, raw_quantity="4")
    assert availability() == ("miss", "Sắp hết hàng: hãy đặt sớm")
    with django_capture_on_commit_callbacks(execute=True):
        stock_set_on_hand(record=record, raw_quantity="0")
    assert availability() == ("miss", "Hết hàng")


def _variant_from(html: str) -> str:
    return re.findall(r'<option value="([0-9a-f-]{36})"', html)[0]


def _stocked_product(**fields):
    product = product_page(brand_page(), **fields)
    for variant in ProductVariant.objects.filter(product=product):
        StockRecord.objects.update_or_create(
            variant=variant, defaults={"quantity_on_hand": 50}
        )
    return product


def test_first_time_buyer_adds_to_cart_from_a_cached_page(site_pages):
    """No cookie, no token, CSRF enforced: the browser's Origin and
    Sec-Fetch-Site headers are what let the add through."""
    product = _stocked_product(price=100_000)
    Client().get(product.url)  # someone else's visit fills the cache
    buyer = Client(enforce_csrf_checks=True)
    page = buyer.get(product.url)
    assert page["X-Page-Cache"] == "hit"
    assert not buyer.cookies
    response = buyer.post(
        reverse("shop:cart_add"),
        {"variant": _variant_from(page.content.decode()), "quantity": "2"},
        headers={"Origin": ORIGIN, "Sec-Fetch-Site": "same-origin"},
    )
    assert response.status_code == 302
    cart = buyer.get(reverse("shop:cart")).content.decode()
    assert "200.000 ₫" in cart


def test_cart_add_accepts_either_header_alone(site_pages):
    product = _stocked_product()
    html = Client().get(product.url).content.decode()
    for headers in ({"Origin": ORIGIN}, {"Sec-Fetch-Site": "same-origin"}):
        buyer = Client(enforce_csrf_checks=True)
        response = buyer.post(
            reverse("shop:cart_add"),
            {"variant": _variant_from(html), "quantity": "1"},
            headers=headers,
        )
        assert response.status_code == 302, headers


def test_cart_add_refuses_cross_site_posts(site_pages):
    product = _stocked_product()
    html = Client().get(product.url).content.decode()
    data = {"variant": _variant_from(html), "quantity": "1"}
    for headers in (
        {"Origin": "https://evil.example", "Sec-Fetch-Site": "cross-site"},
        {"Origin": "https://evil.example"},
        {"Sec-Fetch-Site": "cross-site"},
        {"Sec-Fetch-Site": "same-site"},
        {"Origin": "null"},
        # A header the browser sets cannot excuse a foreign Origin.
        {"Origin": "https://evil.example", "Sec-Fetch-Site": "same-origin"},
        {},  # neither header and no token: Django's token check refuses it
    ):
        buyer = Client(enforce_csrf_checks=True)
        response = buyer.post(reverse("shop:cart_add"), data, headers=headers)
        assert response.status_code == 403, headers
        # The refusal explains itself in the visitor's language (templates/403_csrf.html).
        assert "Không gửi được biểu mẫu" in response.content.decode(), headers
        assert "sessionid" not in response.cookies, headers
        assert cart_for_request(response.wsgi_request) is None


def test_cart_add_trusts_a_listed_brand_domain(site_pages, settings):
    settings.CSRF_TRUSTED_ORIGINS = ["https://*.thuonghieu.example"]
    product = _stocked_product()
    html = Client().get(product.url).content.decode()
    buyer = Client(enforce_csrf_checks=True)
    response = buyer.post(
        reverse("shop:cart_add"),
        {"variant": _variant_from(html), "quantity": "1"},
        headers={
            "Origin": "https://gao.thuonghieu.example",
            "Sec-Fetch-Site": "cross-site",
        },
    )
    assert response.status_code == 302


def test_cart_add_without_browser_headers_still_takes_a_token(site_pages):
    """Old browsers and scripts send neither header: the token a non-cached
    page (the cart) sets is checked as Django always does."""
    product = _stocked_product()
    html = Client().get(product.url).content.decode()
    buyer = Client(enforce_csrf_checks=True)
    buyer.get(reverse("account_login"))
    token = buyer.cookies["csrftoken"].value
    response = buyer.post(
        reverse("shop:cart_add"),
        {"variant": _variant_from(html), "quantity": "1", "csrfmiddlewaretoken": token},
    )
    assert response.status_code == 302


def test_logged_in_users_get_the_page_everyone_gets(client, site_pages):
    """Public pages carry nothing personal (core.page_cache): a signed-in
    visitor is served the shared page, his own header comes from /_/me.json."""
    brand = brand_page()
    anonymous = client.get(brand.url)
    client.force_login(UserFactory(first_name="Lan"))
    response = client.get(brand.url)
    assert response["X-Page-Cache"] == "hit"
    assert response.content == anonymous.content


def test_publishing_an_old_revision_never_restores_an_old_price(
    client, site_pages, django_capture_on_commit_callbacks
):
    product = product_page(brand_page(), price=100_000)
    old_revision = product.save_revision()
    variant = ProductVariant.objects.get(product=product)
    variant.price = 150_000
    with django_capture_on_commit_callbacks(execute=True):
        variant_save(variant=variant)
    old_revision.publish()
    assert ProductVariant.objects.get(pk=variant.pk).price == 150_000
    assert "150.000 ₫" in client.get(product.url).content.decode()


def test_video_players_are_allowed_in_frames(client, site_pages):
    policy = client.get("/")["Content-Security-Policy"]
    frame_src = next(
        part.split()[1:]
        for part in policy.split(";")
        if part.split()[:1] == ["frame-src"]
    )
    assert sorted(frame_src) == sorted(
        [
            "'self'",
            "https://www.youtube-nocookie.com",
            "https://www.youtube.com",
            "https://player.vimeo.com",
        ]
    )
    assert "frame-ancestors 'none'" in policy


def test_moving_a_page_purges_the_cache(client, site_pages):
    first, second = brand_page(title="Nhà một"), brand_page(title="Nhà hai")
    product = product_page(first, title="Mắm cá linh")
    client.get(second.url)
    assert client.get(second.url)["X-Page-Cache"] == "hit"
    product.move(second, pos="last-child")
    html = client.get(second.url)
    assert html["X-Page-Cache"] == "miss"
    assert "Mắm cá linh" in html.content.decode()


def test_pages_are_cached_again_after_the_purge_clock_is_evicted(client, site_pages):
    """A cache that drops the clock (eviction, a memory or file cache's default
    expiry) must not leave every page stamped before as purged for good: the
    clock restarts above every stamp, so the next render is stored and hit."""
    from django.core.cache import cache

    from core.page_cache import CLOCK_KEY, page_cache_purge_keys

    product = product_page(brand_page(), price=100_000)
    for _ in range(3):
        page_cache_purge_keys(["all", f"page-{product.pk}"])
    cache.delete(CLOCK_KEY)
    assert client.get(product.url)["X-Page-Cache"] == "miss"
    assert client.get(product.url)["X-Page-Cache"] == "hit"
    # A purge after the restart still purges.
    page_cache_purge_keys([f"page-{product.pk}"])
    assert client.get(product.url)["X-Page-Cache"] == "miss"
    assert client.get(product.url)["X-Page-Cache"] == "hit"


def test_the_purge_clock_does_not_expire_in_a_file_cache(tmp_path, monkeypatch):
    """Django's generic incr() rewrites the value with the default timeout: in
    a file (or database) cache the clock would expire five minutes after the
    last purge, while the stamps it wrote live on."""
    import pickle

    from django.core.cache.backends.filebased import FileBasedCache

    import core.page_cache as page_cache

    file_cache = FileBasedCache(str(tmp_path), {"TIMEOUT": 300})
    monkeypatch.setattr(page_cache, "cache", file_cache)
    page_cache.page_cache_purge_keys(["all"])
    page_cache.page_cache_purge_keys(["all"])
    with open(file_cache._key_to_file(page_cache.CLOCK_KEY), "rb") as stored:
        # The file our own cache just wrote; its first pickle is the expiry.
        assert pickle.load(stored) is None  # noqa: S301


def test_a_page_stored_before_the_clock_was_evicted_is_not_served(client, site_pages):
    """Its purges may have gone with the clock: it is rendered again."""
    from django.core.cache import cache

    from core.page_cache import CLOCK_KEY

    product = product_page(brand_page(), price=100_000)
    client.get(product.url)
    assert client.get(product.url)["X-Page-Cache"] == "hit"
    cache.delete(CLOCK_KEY)
    assert client.get(product.url)["X-Page-Cache"] == "miss"
    assert client.get(product.url)["X-Page-Cache"] == "hit"
