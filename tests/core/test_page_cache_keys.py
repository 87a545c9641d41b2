"""The page cache shared by everyone: no personal bit in a stored page, edge
headers, and purges by surrogate key that leave other brands' pages cached."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from wagtail.models import PageViewRestriction

from brands.models import ProductVariant
from brands.services import variant_save
from core.page_cache import CACHE_HEADER, _key, page_cache_purge
from shop.models import StockRecord
from shop.services.stock import stock_set_on_hand
from tests.factories import UserFactory
from tests.factories.brands import brand_page, product_page

PUBLIC = "public, max-age=0, s-maxage=60, stale-while-revalidate=300"
ORIGIN = {"Origin": "http://testserver", "Sec-Fetch-Site": "same-origin"}


def _stocked(brand, **fields):
    product = product_page(brand, **fields)
    for variant in ProductVariant.objects.filter(product=product):
        StockRecord.objects.update_or_create(
            variant=variant, defaults={"quantity_on_hand": 50}
        )
    return product


def _variant(product) -> ProductVariant:
    return ProductVariant.objects.filter(product=product).first()


def _cart_holder(product, *, user=None) -> Client:
    """A visitor with a session, a cart of one and a pending flash message."""
    visitor = Client()
    if user is not None:
        visitor.force_login(user)
    response = visitor.post(
        reverse("shop:cart_add"),
        {"variant": str(_variant(product).public_id), "quantity": "1"},
        headers=ORIGIN,
    )
    assert response.status_code == 302
    return visitor


def _cached(url: str) -> bool:
    return Client().get(url)[CACHE_HEADER] == "hit"


def test_cart_holders_signed_in_buyers_and_junk_cookies_get_hits(site_pages):
    product = _stocked(brand_page())
    Client().get(product.url)  # someone fills the cache
    visitors = {
        "cart": _cart_holder(product),
        "signed in with a cart": _cart_holder(product, user=UserFactory()),
        "junk cookie": Client(),
    }
    visitors["junk cookie"].cookies["sessionid"] = "not-a-session"
    visitors["junk cookie"].cookies["messages"] = "junk"
    for who, visitor in visitors.items():
        response = visitor.get(product.url)
        assert response[CACHE_HEADER] == "hit", who
        assert "Cookie" not in response.get("Vary", ""), who
        assert not response.cookies, who


def test_a_cart_holders_hit_ratio(site_pages):
    """50 GETs of five product pages, the brand and home: all but the first
    visit of each page are hits (before: 0 of 50 for a cart holder)."""
    brand = brand_page()
    products = [_stocked(brand, price=100_000 + i) for i in range(5)]
    buyer = _cart_holder(products[0])
    urls = [p.url for p in products] + [brand.url, "/"]
    hits = sum(buyer.get(urls[i % len(urls)])[CACHE_HEADER] == "hit" for i in range(50))
    assert hits == 50 - len(urls)


def test_a_stored_page_is_the_anonymous_page_byte_for_byte(site_pages, rf):
    """A signed-in editor with a cart and a pending message renders (and so
    stores) the page: nothing of his is in it, his message is not consumed."""
    product = _stocked(brand_page())
    editor = UserFactory(first_name="Nguyễn Thị Lan", is_staff=True)
    visitor = _cart_holder(product, user=editor)
    personal = visitor.get(product.url)
    assert personal[CACHE_HEADER] == "miss"
    # Drop that one entry (a purge would move the theme stylesheet's version).
    request = rf.get(product.url)
    request.LANGUAGE_CODE = "vi"
    cache.delete(_key(request))
    anonymous = Client().get(product.url)
    assert anonymous[CACHE_HEADER] == "miss"
    assert personal.content == anonymous.content
    html = personal.content.decode()
    for personal_bit in (
        "Nguyễn Thị Lan",
        editor.email,
        "csrfmiddlewaretoken",
        "Đã thêm vào giỏ hàng",
        'cart-badge__count" aria-hidden="true">1',
        "wagtail-userbar",
    ):
        assert personal_bit not in html, personal_bit
    # The message waits for the visitor's script (or his next uncached page).
    me = visitor.get(reverse("me")).json()
    assert [m["tags"] for m in me["messages"]] == ["success"]
    assert me["cart_count"] == 1


def test_public_pages_send_edge_headers_and_no_vary_cookie(site_pages):
    brand = brand_page()
    product = _stocked(brand)
    buyer = _cart_holder(product, user=UserFactory())
    for response in (buyer.get(product.url), buyer.get(product.url)):
        assert response["Cache-Control"] == PUBLIC
        keys = set(response["Surrogate-Key"].split())
        assert response["xkey"] == response["Surrogate-Key"]
        assert {
            f"page-{product.pk}",
            f"product-{product.translation_key.hex}",
            f"brand-{brand.translation_key.hex}",
            "all",
        } <= keys
        assert "Cookie" not in response.get("Vary", "")
    listing = Client().get("/")
    assert "home" in listing["Surrogate-Key"].split()
    assert f"product-{product.translation_key.hex}" in listing["Surrogate-Key"]


def test_private_pages_are_private_and_never_stored(site_pages, django_user_model):
    product = _stocked(brand_page())
    staff = django_user_model.objects.create_superuser(
        email="staff@example.com", password="x-1234567890"
    )
    buyer = _cart_holder(product, user=staff)
    for url in (
        reverse("shop:cart"),
        reverse("shop:checkout"),
        reverse("shop:account_orders"),
        reverse("me"),
        "/admin/",
    ):
        response = buyer.get(url)
        assert response.status_code == 200, url
        policy = {p.strip() for p in response["Cache-Control"].split(",")}
        assert {"private", "no-store"} <= policy, url
        assert CACHE_HEADER not in response, url


def test_a_restricted_page_is_never_stored(site_pages):
    """A page for signed-in visitors only, seen by one: nobody else gets it."""
    brand = brand_page()
    PageViewRestriction.objects.create(page=brand, restriction_type="login")
    member = Client()
    member.force_login(UserFactory())
    response = member.get(brand.url)
    assert response.status_code == 200
    policy = {p.strip() for p in response["Cache-Control"].split(",")}
    assert {"private", "no-store"} <= policy
    assert CACHE_HEADER not in response
    assert Client().get(brand.url).status_code == 302


def test_without_javascript_the_header_links_to_the_cart_and_the_account(
    site_pages,
):
    product = _stocked(brand_page())
    Client().get(product.url)
    html = Client().get(product.url).content.decode()
    cart, account = reverse("shop:cart"), reverse("shop:account_orders")
    assert f'<a class="cart-badge" href="{cart}">Giỏ hàng' in html
    assert f'<li data-me="unknown"><a href="{account}">Tài khoản</a></li>' in html
    # The account link leads to the login, or to the account once signed in.
    login = Client().get(account)
    assert login.status_code == 302
    assert login["Location"].startswith(reverse("account_login"))
    member = Client()
    member.force_login(UserFactory())
    assert member.get(account).status_code == 200
    # The messages of the last action show on the next page that is not cached.
    buyer = _cart_holder(product)
    assert buyer.get(product.url)[CACHE_HEADER] == "hit"
    assert "Đã thêm vào giỏ hàng" in buyer.get(cart).content.decode()


def test_the_me_endpoint(site_pages):
    product = _stocked(brand_page())
    anonymous = Client().get(reverse("me"))
    assert anonymous.json() == {
        "cart_count": 0,
        "cart_label": "",
        "is_authenticated": False,
        "is_admin": False,
        "csrf_token": "",
        "messages": [],
    }
    assert "csrftoken" not in anonymous.cookies
    buyer = _cart_holder(product, user=UserFactory(is_staff=True))
    me = buyer.get(reverse("me")).json()
    assert me["cart_count"] == 1
    assert me["cart_label"] == "(1 sản phẩm)"
    assert me["is_authenticated"] and me["is_admin"]
    assert me["csrf_token"]
    assert me["messages"] == [{"tags": "success", "text": "Đã thêm vào giỏ hàng."}]
    # Shown once: the next call has none.
    assert buyer.get(reverse("me")).json()["messages"] == []
    english = buyer.get(reverse("me").replace("/_/", "/en/_/", 1))
    assert json.loads(english.content)["cart_label"] == "(1 item)"


def _warm(urls) -> None:
    for url in urls:
        Client().get(url)
        assert _cached(url), url


def _two_brands():
    brand_a, brand_b = brand_page(title="Nhà A"), brand_page(title="Nhà B")
    a1, a2 = _stocked(brand_a, price=100_000), _stocked(brand_a, price=110_000)
    b1, b2 = _stocked(brand_b, price=120_000), _stocked(brand_b, price=130_000)
    return brand_a, brand_b, a1, a2, b1, b2


def test_a_price_change_purges_the_pages_showing_that_product_only(
    site_pages, django_capture_on_commit_callbacks
):
    brand_a, brand_b, a1, a2, b1, b2 = _two_brands()
    index = brand_a.get_parent()
    purged = [a1.url, brand_a.url, "/"]
    kept = [a2.url, brand_b.url, b1.url, b2.url, index.url]
    _warm(purged + kept)

    variant = _variant(a1)
    variant.price = 99_000
    with django_capture_on_commit_callbacks(execute=True):
        variant_save(variant=variant)

    assert [url for url in purged if _cached(url)] == []
    assert [url for url in kept if _cached(url)] == kept  # 5 pages stay cached
    assert "99.000 ₫" in Client().get(a1.url).content.decode()


def test_a_brand_publish_purges_its_pages_and_the_listings_not_other_brands(
    site_pages,
):
    brand_a, brand_b, a1, a2, b1, b2 = _two_brands()
    index = brand_a.get_parent()
    purged = [brand_a.url, a1.url, a2.url, index.url, "/"]
    kept = [brand_b.url, b1.url, b2.url]
    _warm(purged + kept)

    brand_a.tagline = "Gạo thơm mùa mới"
    brand_a.save_revision().publish()

    assert [url for url in purged if _cached(url)] == []
    assert [url for url in kept if _cached(url)] == kept


def test_a_stock_flip_purges_that_products_pages_only(
    site_pages, django_capture_on_commit_callbacks
):
    brand_a, brand_b, a1, a2, b1, b2 = _two_brands()
    _warm([a1.url, a2.url, b1.url, brand_a.url, brand_b.url])
    record = StockRecord.objects.get(variant=_variant(a1))
    with django_capture_on_commit_callbacks(execute=True):
        stock_set_on_hand(record=record, raw_quantity="0")
    assert not _cached(a1.url)
    assert not _cached(brand_a.url)
    assert [url for url in (a2.url, b1.url, brand_b.url) if _cached(url)] == [
        a2.url,
        b1.url,
        brand_b.url,
    ]


def test_purge_everything_still_purges_everything(site_pages):
    brand_a, brand_b, a1, a2, b1, b2 = _two_brands()
    urls = [brand_a.url, brand_b.url, a1.url, b2.url, "/"]
    _warm(urls)
    page_cache_purge()
    assert [url for url in urls if _cached(url)] == []


class _Edge(BaseHTTPRequestHandler):
    received: list[tuple[str, str, str]] = []

    def do_PURGE(self):
        self.received.append((self.command, self.path, self.headers.get("xkey", "")))
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def edge(settings):
    """A stand-in Varnish on localhost recording the purges it gets."""
    server = HTTPServer(("127.0.0.1", 0), _Edge)
    _Edge.received = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.WAGTAILFRONTENDCACHE = {
        "edge": {
            "BACKEND": "core.edge_cache.VarnishXkeyBackend",
            "LOCATION": f"http://127.0.0.1:{server.server_port}",
        }
    }
    yield _Edge.received
    server.shutdown()
    server.server_close()


def test_a_price_change_purges_the_edge_by_key(
    site_pages, edge, django_capture_on_commit_callbacks
):
    brand_a, brand_b, a1, a2, b1, b2 = _two_brands()
    variant = _variant(a1)
    variant.price = 99_000
    with django_capture_on_commit_callbacks(execute=True):
        variant_save(variant=variant)
    key_purges = [keys for method, path, keys in edge if keys]
    assert key_purges == [f"catalogue home product-{a1.translation_key.hex}"]
    assert all(method == "PURGE" and path == "/" for method, path, _ in edge)


def test_a_publish_purges_the_edge_by_key_and_by_url(site_pages, edge):
    brand_a, brand_b, a1, a2, b1, b2 = _two_brands()
    a1.title = "Gạo mới"
    a1.save_revision().publish()
    keys = {key for _method, _path, header in edge for key in header.split()}
    assert {
        f"page-{a1.pk}",
        f"product-{a1.translation_key.hex}",
        f"brand-{brand_a.translation_key.hex}",
        "catalogue",
    } <= keys
    assert f"brand-{brand_b.translation_key.hex}" not in keys
    # Wagtail's own purge of the page's URL goes to the same edge.
    assert any(path == a1.url for _method, path, header in edge if not header)


def test_no_edge_configured_is_a_no_op(site_pages, settings):
    settings.WAGTAILFRONTENDCACHE = {}
    page_cache_purge()  # nothing to reach: no error, no request
