"""The bad-input sweep (catalogue §3, figure R7): hostile input at every public
and admin endpoint -> no 5xx, the expected 4xx or form error, database unchanged.

Every URL pattern must be classified below; a new URL fails
`test_every_url_is_classified` until it is swept or given a reason.
"""

from __future__ import annotations

import json
import uuid

import pytest
from django.test import Client

from tests.factories import shop as shop_factories
from tests.proof.sweep import (
    MALFORMED_IDS,
    OVERLONG,
    PAYLOADS,
    RAW_QUERIES,
    all_routes,
    changed,
    forms_in,
    hostile_data,
    snapshot,
)

# What each project URL is and how the sweep reaches it.
#   "sweep": fired at below (GET query payloads; POST forms when it has one)
#   "uuid": carries a UUID: random and malformed ids must give 404
#   "admin": a Wagtail admin view of ours; swept as a superuser below
#   "machine": no user input beyond the request line (swept with GET payloads)
#   "static": serves files from disk (path traversal probed)
SWEEP = "sweep"
UUID = "uuid"
ADMIN = "admin"
MACHINE = "machine"
STATIC = "static"
CLASSIFICATION: dict[str, str] = {
    "healthz": MACHINE,
    "robots_txt": MACHINE,
    "sitemap": MACHINE,
    "admin_login_redirect": SWEEP,
    "stripe_webhook": SWEEP,
    "bank_feed": SWEEP,
    "search": SWEEP,
    "me": SWEEP,
    "media/<path:path>": STATIC,
    "admin/test404/": STATIC,
    "brands:product_redirect": UUID,
    "brands:product_qr_svg": UUID,
    "brands:product_qr_png": UUID,
    "brands:label_sheet": UUID,
    "brands:themes_css": MACHINE,
    "shop:cart": SWEEP,
    "shop:cart_add": SWEEP,
    "shop:cart_update": SWEEP,
    "shop:checkout": SWEEP,
    "shop:communes": SWEEP,
    "shop:order_detail": UUID,
    "shop:order_pay": UUID,
    "shop:order_pay_card": UUID,
    "shop:order_status": UUID,
    "shop:account_orders": SWEEP,
    "shop:account_addresses": SWEEP,
    "shop:account_profile": SWEEP,
    "assessment:start": SWEEP,
    "assessment:organisation_new": SWEEP,
    "assessment:dashboard": SWEEP,
    "assessment:begin": UUID,
    "assessment:step": UUID,
    "assessment:review": UUID,
    "assessment:submit": UUID,
    "assessment:results": UUID,
    "assessment:report_pdf": UUID,
    "assessment:answers_csv": UUID,
    "assessment:answers_xlsx": UUID,
    "assessment:delete": UUID,
    "assessment:open_data": SWEEP,
    "assessment:open_data_csv": MACHINE,
    "assessment:open_data_json": MACHINE,
    # Wagtail's front-end login, shadowed: a redirect to allauth's login.
    "frontend_login_redirect": SWEEP,
    # A secret token: an unknown or garbled one is a 410 page (tests/organisations).
    "organisation_invitations:accept": SWEEP,
    # Applying to join (an applicant with a verified email); the state page
    # answers 404 for any id but the applicant's own (tests/joining).
    "joining:apply": SWEEP,
    "joining:application": UUID,
}
# Third-party URL families, classified by route prefix and view module.
THIRD_PARTY = [
    # (route prefix, module prefix, class, why)
    (
        "admin/",
        "wagtail",
        ADMIN,
        "Wagtail admin: sample swept here; isolation in tests/guard",
    ),
    ("admin/", "organisations", ADMIN, "admin viewsets and API of ours"),
    ("admin/", "brands", ADMIN, "admin viewsets of ours"),
    ("admin/", "assessment", ADMIN, "admin viewsets of ours"),
    ("admin/", "shop", ADMIN, "shop admin screens (orders, stock, statement)"),
    ("admin/", "joining", ADMIN, "the applications queue (tests/joining)"),
    ("accounts/", "allauth", SWEEP, "allauth: login, signup, reset swept below"),
    ("documents/", "wagtail.documents", UUID, "document serve: ids probed"),
    ("_util/", "django.contrib.auth", MACHINE, "Wagtail's private-page password view"),
    ("", "wagtail.views", SWEEP, "Wagtail page serving: page paths swept below"),
    ("", "wagtail.contrib", SWEEP, "Wagtail helpers (sitemap, frontend cache)"),
]


def _third_party_class(route) -> str | None:
    for prefix, module, kind, _why in THIRD_PARTY:
        if route.route.startswith(prefix) and route.module.startswith(module):
            return kind
    return None


def test_every_url_is_classified():
    unclassified = []
    for route in all_routes():
        if route.key in CLASSIFICATION:
            continue
        if route.name.split(":")[0] in {"wagtailadmin_api"} or _third_party_class(
            route
        ):
            continue
        unclassified.append(f"{route.route} name={route.name!r} view={route.module}")
    assert unclassified == [], "Classify these URLs in test_bad_input_sweep.py:\n" + (
        "\n".join(unclassified)
    )


# --- The sweep ------------------------------------------------------------------

# What a browser sends with the buy form of a (cached, token-less) product page:
# shop.same_origin lets such a POST through to the form code.
SAME_ORIGIN = {"Origin": "http://testserver", "Sec-Fetch-Site": "same-origin"}
REFUSED_INPUT = {400, 404, 409, 422}

GET_PAYLOADS = ["overlong", "nul", "html_js", "sql", "huge_int", "traversal"]

OWNER = "owner@sweep.example"
STAFF = "staff@sweep.example"
SUPERUSER = "root@sweep.example"


@pytest.fixture
def actors(site_pages):
    """An organisation owner, a province staff member and a superuser."""
    from allauth.account.models import EmailAddress

    from organisations.models import Membership
    from organisations.services import province_staff_group_ensure
    from tests.factories import UserFactory, member, onboarded_organisation

    owner = member(onboarded_organisation(), Membership.Role.OWNER, email=OWNER)
    # A confirmed email: the owner may apply for another organisation, so the
    # sweep reaches the application form.
    EmailAddress.objects.create(user=owner, email=OWNER, verified=True, primary=True)
    UserFactory(email=STAFF).groups.add(province_staff_group_ensure())
    UserFactory(email=SUPERUSER, is_superuser=True, is_staff=True)
    # A live product in stock, so the product page renders its buy form.
    shop_factories.variant(price=150_000, on_hand=10)


class Sweeper:
    """Fires probes, collects every failure (status, 5xx, DB change) for one report."""

    def __init__(self) -> None:
        self.failures: list[str] = []
        self.probes = 0

    def check(self, label: str, response, allowed: set[int] | None = None) -> None:
        self.probes += 1
        status = response.status_code
        if status >= 500:
            self.failures.append(f"{label}: {status} (server error)")
        elif allowed is not None and status not in allowed:
            self.failures.append(
                f"{label}: {status}, expected one of {sorted(allowed)}"
            )


def _client(email: str | None) -> Client:
    client = Client(raise_request_exception=False)
    if email:
        from django.contrib.auth import get_user_model

        client.force_login(get_user_model().objects.get(email=email))
    return client


def _get_paths(demo_ids: dict[str, str]) -> list[tuple[str | None, str]]:
    """(actor, path) pairs fired with GET payloads."""
    paths = [
        (None, "/healthz"),
        (None, "/robots.txt"),
        (None, "/sitemap.xml"),
        (None, "/admin/login/"),
        (None, "/search/"),
        (None, "/en/search/"),
        (None, "/"),
        (None, "/en/"),
        (None, "/gioi-thieu/"),
        (None, "/cart/"),
        (None, "/checkout/"),
        (None, "/danh-gia/"),
        (None, "/open-data/"),
        (None, "/open-data/data.csv"),
        (None, "/open-data/data.json"),
        (OWNER, "/my/orders/"),
        (OWNER, "/my/addresses/"),
        (OWNER, "/my/profile/"),
        (OWNER, "/danh-gia/to-chuc-moi/"),
        (OWNER, "/organisations/apply/"),
        (None, "/organisations/apply/"),
        (OWNER, "/organisations/invitations/not-a-token/"),
        (None, "/organisations/invitations/not-a-token/"),
        (STAFF, "/danh-gia/tinh/"),
        (None, "/accounts/login/"),
        (None, "/accounts/signup/"),
        (None, "/accounts/password/reset/"),
        (SUPERUSER, "/admin/"),
        (SUPERUSER, "/admin/pages/search/"),
        (SUPERUSER, "/admin/images/"),
        (SUPERUSER, "/admin/documents/"),
        (SUPERUSER, "/admin/product_variants/"),
        (SUPERUSER, "/admin/organisations/"),
        (SUPERUSER, "/admin/applications/"),
        (SUPERUSER, "/admin/api/main/pages/"),
    ]
    if demo_ids.get("product_path"):
        paths.append((None, demo_ids["product_path"]))
    return paths


def _form_posts(demo_ids: dict[str, str]) -> list[tuple[str | None, str]]:
    """(actor, page) pairs: every POST form on the page is fired with payloads."""
    pages = [
        (None, "/accounts/login/"),
        (None, "/accounts/signup/"),
        (None, "/accounts/password/reset/"),
        (OWNER, "/my/addresses/"),
        (OWNER, "/danh-gia/to-chuc-moi/"),
        (OWNER, "/organisations/apply/"),
        (OWNER, "/danh-gia/"),
        (None, "/cart/"),
        (None, "/checkout/"),
        (SUPERUSER, "/admin/product_variants/new/"),
        (SUPERUSER, "/admin/organisations/new/"),
    ]
    if demo_ids.get("product_path"):
        pages.append((None, demo_ids["product_path"]))
    return pages


def _demo_ids() -> dict[str, str]:
    ids: dict[str, str] = {}
    try:
        from brands.models import ProductPage
    except ImportError:
        return ids
    product = ProductPage.objects.live().filter(locale__language_code="vi").first()
    if product is not None:
        ids["product_path"] = product.get_url()
        ids["variant"] = str(product.variants.get().public_id)
    return ids


def _uuid_paths() -> list[str]:
    """Every UUID route with a random (absent) id."""
    paths = []
    for route in all_routes():
        if CLASSIFICATION.get(route.key) != UUID or "<uuid:" not in route.route:
            continue
        path = route.route
        while "<uuid:" in path:
            start = path.index("<uuid:")
            end = path.index(">", start)
            path = path[:start] + str(uuid.uuid4()) + path[end + 1 :]
        path = path.replace("<int:step>", "1")
        paths.append("/" + path)
    return paths


@pytest.mark.django_db
@pytest.mark.timeout(600)
def test_bad_input_sweep(actors, settings):
    settings.STRIPE_WEBHOOK_SECRET = "whsec_sweep_only"
    settings.SHOP_BANK_FEED_SECRET = "bank_feed_sweep_only"
    sweeper = Sweeper()
    ids = _demo_ids()
    clients = {actor: _client(actor) for actor in {None, OWNER, STAFF, SUPERUSER}}
    strict = Client(enforce_csrf_checks=True, raise_request_exception=False)

    # Warm up: first visits may create lazy rows (Wagtail user profiles).
    for actor, path in _get_paths(ids):
        clients[actor].get(path)
    before = snapshot()

    # 1. GET endpoints: hostile query values and raw, undecodable query strings.
    for actor, path in _get_paths(ids):
        client = clients[actor]
        for name in GET_PAYLOADS:
            value = PAYLOADS[name]
            params = {"q": value, "page": value, "next": value, "p": value}
            sweeper.check(f"GET {path} ?*={name}", client.get(path, params))
        for raw in RAW_QUERIES:
            sweeper.check(f"GET {path}?{raw[:20]}", client.get(f"{path}?{raw}"))

    # 2. Objects by id: absent and malformed UUIDs are 404, never 500.
    for path in _uuid_paths():
        for actor in (None, OWNER):
            response = clients[actor].get(path)
            sweeper.check(f"GET {path} as {actor}", response, {302, 404, 405})
            response = clients[actor].post(path, {"x": "1"})
            sweeper.check(f"POST {path} as {actor}", response, {302, 404, 405})
    for prefix in ("/orders/", "/danh-gia/", "/p/", "/brand-labels/", "/documents/"):
        for bad in MALFORMED_IDS:
            response = clients[None].get(f"{prefix}{bad}/")
            sweeper.check(f"GET {prefix}<{bad[:12]}>/", response, {301, 302, 404})

    # 3. Page paths: traversal, NUL, overlong and encoded garbage.
    for path in (
        "/..%2f..%2fetc%2fpasswd",
        "/%00/",
        "/%ff%fe/",
        "/" + "a" * 5000 + "/",
        "/media/../config/settings/base.py",
        "/media/..%2f..%2fconfig%2fsettings%2fbase.py",
        "/static/../manage.py",
        "/documents/1/../../manage.py",
    ):
        sweeper.check(f"GET {path[:40]}", clients[None].get(path), {301, 302, 400, 404})

    # 4. Every POST form: missing CSRF, wrong method, wrong content type, payloads.
    for actor, page in _form_posts(ids):
        client = clients[actor]
        response = client.get(page)
        sweeper.check(f"GET {page} as {actor}", response, {200, 302})
        if response.status_code != 200:
            continue
        for form in forms_in(response.content.decode()):
            if form.method != "post":
                continue
            target = form.action or page
            label = f"POST {target} (form on {page}, as {actor})"
            if actor is None:
                sweeper.check(f"{label} without CSRF", strict.post(target, {}), {403})
            # Wrong methods: refused, or answered as a read, never a write.
            for method in ("put", "patch", "delete"):
                response = getattr(client, method)(target)
                sweeper.check(f"{method.upper()} {target}", response)
            response = client.post(
                target, data=json.dumps({"a": 1}), content_type="application/json"
            )
            sweeper.check(f"{label} JSON body", response, {200, 302, 400, 403, 404})
            for name, value in PAYLOADS.items():
                response = client.post(target, hostile_data(form, value))
                sweeper.check(
                    f"{label} {name}", response, {200, 302, 400, 403, 404, 409}
                )

    # 5. The product page's buy form, posted as the browser does (same origin,
    # CSRF enforced, no token): the form code runs and refuses every hostile
    # value with a 4xx. A 403 here would mean the request never reached it.
    assert ids.get("product_path"), "no live product: the buy form is not swept"
    buyer = Client(enforce_csrf_checks=True, raise_request_exception=False)
    buy_forms = [
        form
        for form in forms_in(buyer.get(ids["product_path"]).content.decode())
        if form.method == "post" and form.action == "/cart/add/"
    ]
    assert len(buy_forms) == 1, "the product page has no buy form"
    buy_form = buy_forms[0]
    assert {"variant", "quantity"} <= set(buy_form.fields)
    on_sale = ids["variant"]
    buy_probes = 0
    for name, value in PAYLOADS.items():
        cases = {
            "every field": hostile_data(buy_form, value),
            "quantity": {"next": ids["product_path"], "variant": on_sale}
            | {"quantity": value},
            "variant": {"next": ids["product_path"], "quantity": "1"}
            | {"variant": value},
        }
        for what, data in cases.items():
            response = buyer.post(buy_form.action, data, headers=SAME_ORIGIN)
            sweeper.check(f"buy form {what}={name}", response, REFUSED_INPUT)
            buy_probes += 1
    assert buy_probes == 3 * len(PAYLOADS)

    # 6. Cart posts with no form: malformed ids and quantities.
    for variant in ("abc", str(uuid.uuid4()), "%00", "1"):
        for quantity in (
            "-1",
            "0",
            "2147483648",
            "99999999999999999999",
            "1.5",
            "1e3",
            "abc",
            "",
            "\x00",
        ):
            data = {"variant": variant, "quantity": quantity, "price": "1"}
            for path in ("/cart/add/", "/cart/update/"):
                response = clients[None].post(path, data)
                sweeper.check(
                    f"POST {path} {variant[:8]} q={quantity!r}",
                    response,
                    {400, 404, 409, 422},
                )

    # 7. The webhook: unsigned, badly signed, wrong method, oversized.
    sweeper.check(
        "webhook unsigned",
        clients[None].post("/stripe/webhook/", b"{}", content_type="application/json"),
        {400},
    )
    sweeper.check(
        "webhook bad signature",
        clients[None].post(
            "/stripe/webhook/",
            b'{"id": "evt_1", "type": "payment_intent.succeeded"}',
            content_type="application/json",
            HTTP_STRIPE_SIGNATURE="t=1,v1=deadbeef",
        ),
        {400},
    )
    sweeper.check("webhook GET", clients[None].get("/stripe/webhook/"), {405})
    sweeper.check(
        "webhook 11 MB",
        clients[None].post(
            "/stripe/webhook/",
            b"{" + b" " * (11 * 1024 * 1024) + b"}",
            content_type="application/json",
            HTTP_STRIPE_SIGNATURE="t=1,v1=deadbeef",
        ),
        {400, 413},
    )
    # 7b. The bank feed: unsigned, badly signed, wrong method, oversized.
    bank_feed = "/shop/bank-feed/"
    sweeper.check(
        "bank feed unsigned",
        clients[None].post(bank_feed, b"{}", content_type="application/json"),
        {400},
    )
    sweeper.check(
        "bank feed bad signature",
        clients[None].post(
            bank_feed,
            b'{"referenceCode": "FT1", "transferAmount": 1}',
            content_type="application/json",
            HTTP_X_BANK_FEED_SIGNATURE="deadbeef",
            HTTP_X_BANK_FEED_TIMESTAMP="1",
        ),
        {400},
    )
    sweeper.check("bank feed GET", clients[None].get(bank_feed), {405})
    sweeper.check(
        "bank feed 11 MB",
        clients[None].post(
            bank_feed,
            b"{" + b" " * (11 * 1024 * 1024) + b"}",
            content_type="application/json",
            HTTP_X_BANK_FEED_SIGNATURE="deadbeef",
            HTTP_X_BANK_FEED_TIMESTAMP="1",
        ),
        {400, 413},
    )
    # 8. Overlong search and a login with a next= pointing off-site.
    sweeper.check("search 100k", clients[None].get("/search/", {"q": OVERLONG}), {400})
    response = clients[None].get("/admin/login/", {"next": "https://evil.example/"})
    sweeper.check("admin login next=evil", response, {302})
    assert "evil.example" not in response["Location"]

    after = snapshot()
    print(f"bad-input sweep: {sweeper.probes} probes")  # noqa: T201
    assert sweeper.failures == [], "\n".join(sweeper.failures[:80])
    assert changed(before, after) == []
    assert sweeper.probes > 500

    # Control: the same request with honest values is accepted, so the 4xx
    # above came from the form code, not from a refused origin.
    response = buyer.post(
        buy_form.action,
        {"next": ids["product_path"], "variant": on_sale, "quantity": "1"},
        headers=SAME_ORIGIN,
    )
    assert response.status_code == 302
    assert response["Location"] == ids["product_path"]
