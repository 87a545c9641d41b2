"""The permission matrix as one table (figure R8), at the product level.

Roles x objects x actions: every cell is executed as an HTTP request (or, for
publish, Wagtail's own permission API), and must allow exactly the roles the
table names. A deny must not show the other brand's secret marker. New project
URLs or models fail `test_every_url_and_model_is_in_the_table` until placed.

The deep, route-by-route admin isolation of pages and images (every Wagtail
admin URL with an id) is tests/guard/test_admin_routes.py; this table keeps to
what each role may do with each kind of object.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import transaction
from django.test import Client

from joining.services import application_approve, application_reject, dispute_resolve
from organisations.errors import OrganisationError
from organisations.members import (
    invitation_accept,
    invitation_create,
    member_remove,
    ownership_transfer,
)
from tests.proof.sweep import PROJECT_APPS, all_routes

ANON, BUYER_A, BUYER_B = "anonymous", "buyer_a", "buyer_b"
EDITOR_A, OWNER_A, EDITOR_B = "editor_a", "owner_a", "editor_b"
STAFF, ROOT = "staff", "superuser"
# Has applied (confirmed email): one application of their own, and one
# disputing organisation A's tax code.
APPLICANT = "applicant"
# Joined organisation A through an owner's invitation (accepted): an editor.
INVITED_A = "invited_a"
# Invited to organisation A but has not accepted yet: nobody there.
INVITEE_A = "invitee_a"
# Owns an organisation the province has not verified: assessment only.
UNVERIFIED = "unverified"
ROLES = [
    ANON,
    BUYER_A,
    BUYER_B,
    EDITOR_A,
    INVITED_A,
    INVITEE_A,
    OWNER_A,
    EDITOR_B,
    UNVERIFIED,
    APPLICANT,
    STAFF,
    ROOT,
]
EVERYONE = frozenset(ROLES)
BRAND_A_TEAM = frozenset({EDITOR_A, INVITED_A, OWNER_A, STAFF, ROOT})
ADMINS = frozenset({STAFF, ROOT})


@dataclass(frozen=True)
class Cell:
    """One object x action: how to try it and who may."""

    method: str  # "get", "post" or "perm" (Wagtail permission API)
    target: Callable  # world -> path, or (world, user) -> bool for "perm"
    allowed: frozenset[str]
    marker: bool = True  # an allow shows brand A's marker; a deny must not
    listing: bool = False  # a chooser: "allowed" means brand A's item is listed


def _page_admin(action: str) -> Callable:
    return lambda w: f"/admin/pages/{w.a.product.pk}/{action}"


TABLE: dict[tuple[str, str], Cell] = {
    # Pages of brand A: the live product, its draft sibling, their revisions.
    ("live page A", "view"): Cell("get", lambda w: w.a.product.url, EVERYONE),
    ("draft page A", "view"): Cell("get", lambda w: w.a.draft.url, frozenset()),
    ("draft page A", "preview"): Cell(
        "get", lambda w: f"/admin/pages/{w.a.draft.pk}/view_draft/", BRAND_A_TEAM
    ),
    ("live page A", "edit"): Cell("get", _page_admin("edit/"), BRAND_A_TEAM),
    ("live page A", "publish"): Cell(
        "perm",
        lambda w, user: w.a.product.permissions_for_user(user).can_publish(),
        ADMINS,
        marker=False,
    ),
    ("live page A", "revisions"): Cell("get", _page_admin("history/"), BRAND_A_TEAM),
    ("revision A", "view"): Cell(
        "get",
        lambda w: f"/admin/pages/{w.a.draft.pk}/revisions/{w.a.revision.pk}/view/",
        BRAND_A_TEAM,
    ),
    ("live page A", "copy"): Cell("get", _page_admin("copy/"), BRAND_A_TEAM),
    ("live page A", "move"): Cell("get", _page_admin("move/"), ADMINS),
    # Deleting a live page needs publish rights: members submit, staff decide.
    ("live page A", "delete"): Cell("get", _page_admin("delete/"), ADMINS),
    ("live page A", "admin API"): Cell(
        "get", lambda w: f"/admin/api/main/pages/{w.a.product.pk}/", BRAND_A_TEAM
    ),
    # Media of brand A's collection.
    ("image A", "edit"): Cell(
        "get", lambda w: f"/admin/images/{w.a.image.pk}/", BRAND_A_TEAM
    ),
    ("image A", "delete"): Cell(
        "get", lambda w: f"/admin/images/{w.a.image.pk}/delete/", BRAND_A_TEAM
    ),
    ("image A", "choose"): Cell(
        "get",
        lambda w: "/admin/images/chooser/?q=Image+A",
        BRAND_A_TEAM,
        listing=True,
    ),
    ("image A", "admin API"): Cell(
        "get", lambda w: f"/admin/api/main/images/{w.a.image.pk}/", BRAND_A_TEAM
    ),
    ("document A", "edit"): Cell(
        "get", lambda w: f"/admin/documents/edit/{w.a.document.pk}/", BRAND_A_TEAM
    ),
    ("document A", "choose"): Cell(
        "get",
        lambda w: "/admin/documents/chooser/?q=Document+A",
        BRAND_A_TEAM,
        listing=True,
    ),
    # Product variants (price, SKU) of brand A: a snippet-like model scoped per brand.
    ("variant A", "edit"): Cell(
        "get",
        lambda w: f"/admin/product_variants/edit/{w.a.variant.pk}/",
        BRAND_A_TEAM,
    ),
    ("variant A", "delete"): Cell(
        "get",
        lambda w: f"/admin/product_variants/delete/{w.a.variant.pk}/",
        BRAND_A_TEAM,
    ),
    # Organisation A's record (staff manage organisations).
    ("organisation A", "edit"): Cell(
        "get",
        lambda w: f"/admin/organisations/edit/{w.a.organisation.pk}/",
        ADMINS,
    ),
    ("organisation A", "delete"): Cell(
        "get",
        lambda w: f"/admin/organisations/delete/{w.a.organisation.pk}/",
        ADMINS,
    ),
    # Orders: a buyer's own order only (not the other buyer's, not editors').
    ("order A", "view"): Cell(
        "get", lambda w: f"/orders/{w.order_a.public_id}/", frozenset({BUYER_A})
    ),
    ("order A", "pay"): Cell(
        "get", lambda w: f"/orders/{w.order_a.public_id}/pay/", frozenset({BUYER_A})
    ),
    ("order A", "status"): Cell(
        "get",
        lambda w: f"/orders/{w.order_a.public_id}/status/",
        frozenset({BUYER_A}),
        marker=False,
    ),
    # Assessments of organisation A: its members and province staff.
    ("assessment A", "results"): Cell(
        "get",
        lambda w: f"/danh-gia/{w.assessment_a.public_id}/ket-qua/",
        BRAND_A_TEAM,
        marker=False,
    ),
    ("assessment A", "report"): Cell(
        "get",
        lambda w: f"/danh-gia/{w.assessment_a.public_id}/bao-cao.pdf",
        BRAND_A_TEAM,
        marker=False,
    ),
    ("assessment A", "export"): Cell(
        "get",
        lambda w: f"/danh-gia/{w.assessment_a.public_id}/cau-tra-loi.csv",
        BRAND_A_TEAM,
        marker=False,
    ),
    # The unverified organisation's own assessment: its owner sees it (and
    # staff); until verified it has no admin (the dashboard cell below).
    ("assessment of unverified C", "results"): Cell(
        "get",
        lambda w: f"/danh-gia/{w.assessment_c.public_id}/ket-qua/",
        frozenset({UNVERIFIED, STAFF, ROOT}),
        marker=False,
    ),
    # Province-wide views.
    ("province dashboard", "view"): Cell(
        "get", lambda w: "/danh-gia/tinh/", ADMINS, marker=False
    ),
    ("admin dashboard", "view"): Cell(
        "get", lambda w: "/admin/", BRAND_A_TEAM | {EDITOR_B}, marker=False
    ),
    # Members of organisation A: its owner only (an invited editor edits the
    # brand but manages nobody; staff manage memberships in the organisation
    # admin). Each service is really called, then rolled back.
    ("members of organisation A", "view"): Cell(
        "get",
        lambda w: (
            f"/admin/organisation/members/?organisation={w.a.organisation.public_id}"
        ),
        frozenset({OWNER_A}),
        marker=False,
    ),
    ("members of organisation A", "invite"): Cell(
        "perm", lambda w, user: _tries(_invite, w, user), frozenset({OWNER_A})
    ),
    ("members of organisation A", "remove"): Cell(
        "perm", lambda w, user: _tries(_remove, w, user), frozenset({OWNER_A})
    ),
    ("members of organisation A", "transfer"): Cell(
        "perm", lambda w, user: _tries(_transfer, w, user), frozenset({OWNER_A})
    ),
    # Joining: the form needs a confirmed email; an application's state is its
    # applicant's alone; the queue, the evidence and every decision are staff's.
    # The form wants a confirmed email (these roles have one; the factory's
    # buyers and editors do not).
    ("application form", "view"): Cell(
        "get",
        lambda w: "/organisations/apply/",
        frozenset({APPLICANT, INVITED_A, INVITEE_A, UNVERIFIED}),
        marker=False,
    ),
    ("application A", "state"): Cell(
        "get",
        lambda w: f"/organisations/applications/{w.application.public_id}/",
        frozenset({APPLICANT}),
    ),
    ("application queue", "view"): Cell(
        "get", lambda w: "/admin/applications/", ADMINS
    ),
    ("application A", "review"): Cell(
        "get", lambda w: f"/admin/applications/{w.application.pk}/", ADMINS
    ),
    ("application A", "evidence"): Cell(
        "get",
        lambda w: f"/admin/applications/{w.application.pk}/evidence/",
        ADMINS,
        marker=False,
    ),
    ("application A", "approve"): Cell(
        "perm", lambda w, user: _tries(_approve, w, user), ADMINS
    ),
    ("application A", "reject"): Cell(
        "perm", lambda w, user: _tries(_reject, w, user), ADMINS
    ),
    ("dispute on organisation A", "state"): Cell(
        "get",
        lambda w: f"/organisations/applications/{w.dispute.public_id}/",
        frozenset({APPLICANT}),
    ),
    ("dispute on organisation A", "review"): Cell(
        "get", lambda w: f"/admin/applications/{w.dispute.pk}/", ADMINS
    ),
    ("dispute on organisation A", "transfer"): Cell(
        "perm", lambda w, user: _tries(_transfer_dispute, w, user), ADMINS
    ),
    ("dispute on organisation A", "uphold"): Cell(
        "perm", lambda w, user: _tries(_uphold_dispute, w, user), ADMINS
    ),
}


class _Rollback(Exception):
    pass


def _tries(action: Callable, w, user) -> bool:
    """Run a members service as ``user``; True when it was allowed (then undone)."""
    if not user.is_authenticated:
        return False
    try:
        with transaction.atomic():
            action(w, user)
            raise _Rollback
    except _Rollback:
        return True
    except OrganisationError:  # refused (MembersNotAllowed, or a rule of the change)
        return False


def _invite(w, user) -> None:
    invitation_create(organisation=w.a.organisation, by=user, email="new@example.com")


def _remove(w, user) -> None:
    member_remove(organisation=w.a.organisation, by=user, user=w.a.editor)


def _transfer(w, user) -> None:
    ownership_transfer(organisation=w.a.organisation, by=user, to_user=w.a.editor)


def _approve(w, user) -> None:
    application_approve(application=w.application, by=user)


def _reject(w, user) -> None:
    application_reject(application=w.application, by=user, reason="Thiếu giấy tờ.")


def _transfer_dispute(w, user) -> None:
    dispute_resolve(application=w.dispute, by=user, transfer=True, reason="Đúng chủ.")


def _uphold_dispute(w, user) -> None:
    dispute_resolve(application=w.dispute, by=user, transfer=False, reason="Sai chủ.")


# Every project URL name maps to the table rows that cover it, or to why it
# has no per-object permission.
URL_COVERAGE: dict[str, str] = {
    "healthz": "public machine endpoint",
    "robots_txt": "public machine endpoint",
    "sitemap": "public: live pages only",
    "admin_login_redirect": "redirect to login",
    "stripe_webhook": "signature-authenticated (tests/shop)",
    "bank_feed": "signature-authenticated (tests/shop/test_bankfeed.py)",
    "search": "public: live pages only",
    "me": "the session's own header state and messages (tests/core)",
    "brands:product_redirect": "public QR link to a live product",
    "brands:product_qr_svg": "public QR image of a live product",
    "brands:product_qr_png": "public QR image of a live product",
    "brands:label_sheet": "brand team printout (tests/brands)",
    "brands:themes_css": "public stylesheet of brand colours",
    "shop:cart": "session's own cart",
    "shop:cart_add": "session's own cart",
    "shop:cart_update": "session's own cart",
    "shop:checkout": "session's own cart",
    "shop:communes": "public reference data (the 2025 communes)",
    "shop:order_detail": "order A / view",
    "shop:order_pay": "order A / pay",
    "shop:order_pay_card": "order A / pay (POST)",
    "shop:order_status": "order A / status",
    "shop:account_orders": "own account only",
    "shop:account_addresses": "own account only",
    "shop:account_profile": "own account only",
    "assessment:start": "own organisations only",
    "assessment:organisation_new": "creates for self",
    "assessment:dashboard": "province dashboard / view",
    "assessment:begin": "own organisations only",
    "assessment:step": "assessment A (members only)",
    "assessment:review": "assessment A (members only)",
    "assessment:submit": "assessment A (members only)",
    "assessment:results": "assessment A / results",
    "assessment:report_pdf": "assessment A / report",
    "assessment:answers_csv": "assessment A / export",
    "assessment:answers_xlsx": "assessment A / export",
    "assessment:delete": "assessment A (members only)",
    "assessment:open_data": "public aggregate",
    "assessment:open_data_csv": "public aggregate",
    "assessment:open_data_json": "public aggregate",
    "organisations:add": "organisation A / edit (staff only)",
    "organisations:delete": "organisation A / delete (staff only)",
    "product_variants:index": "variant A / edit (listing scoped per brand)",
    "product_variants:index_results": "variant A / edit (listing scoped per brand)",
    "product_variants:add": "variant A / edit",
    "product_variants:edit": "variant A / edit",
    "product_variants:delete": "variant A / delete",
    "assessment_frameworks:add": "question banks: staff only (tests/assessment/test_admin.py)",
    "assessment_frameworks:edit": "question banks: staff only (tests/assessment/test_admin.py)",
    "shop_orders:index": "brand team's orders: tests/guard (delegated) and tests/shop",
    "shop_orders:inspect": "brand team's orders: tests/guard and tests/shop",
    "shop_stock:index": "brand team's stock: tests/guard and tests/shop",
    "shop_stock:update": "brand team's stock: tests/guard and tests/shop",
    "shop_statement:index": "brand team's payables: tests/guard and tests/shop",
    "shop_shipping:index": "brand's shipping terms: tests/guard/test_shipping_admin.py",
    "shop_shipping:update": "shipping terms (owners, staff): tests/guard",
    "organisation_members:index": "members of organisation A / view",
    "joining:apply": "application form / view",
    "joining:application": "application A / state",
    "joining_applications:index": "application queue / view",
    "joining_applications:detail": "application A / review, approve, reject",
    "joining_applications:evidence": "application A / evidence",
    "organisation_invitations:accept": (
        "secret token for the invited, verified email (tests/organisations)"
    ),
}


def _uncovered_urls() -> list[str]:
    # Wagtail's admin API is the page explorer's own plumbing, not a place.
    names = {
        route.name
        for route in all_routes()
        if route.is_project
        and route.name
        and not (
            route.route.startswith("admin/")
            and route.name.startswith("wagtailadmin_api")
        )
    }
    return sorted(names - set(URL_COVERAGE))


def test_every_url_and_model_is_in_the_table():
    assert _uncovered_urls() == []
    models = sorted(
        model._meta.label
        for model in apps.get_models()
        if model._meta.app_label in PROJECT_APPS
    )
    objects = {obj for obj, _action in TABLE}
    missing = [m for m in models if m not in KNOWN_MODELS]
    assert missing == [], f"Place these models in the permission table: {missing}"
    assert {MODELS_TO_OBJECTS[m] for m in KNOWN_MODELS if m in MODELS_TO_OBJECTS} <= (
        objects
    )


# Models and the table object standing for them (or None: not user-facing).
MODELS_TO_OBJECTS: dict[str, str] = {
    "brands.BrandPage": "live page A",
    "brands.ProductPage": "live page A",
    "brands.ProductVariant": "variant A",
    "organisations.Organisation": "organisation A",
    "shop.Order": "order A",
    "assessment.Assessment": "assessment A",
    "joining.OrganisationApplication": "application A",
}
KNOWN_MODELS: dict[str, str | None] = {
    **MODELS_TO_OBJECTS,
    "accounts.User": "roles themselves; user admin is superuser-only (tests/guard)",
    "organisations.Commune": "reference data, read-only",
    "organisations.Membership": "changed by staff in the organisation admin",
    "organisations.Invitation": "members of organisation A (owner only)",
    "pages.HomePage": "site page, no brand",
    "pages.StandardPage": "site page, no brand",
    "pages.SiteSettings": "superuser-only setting",
    "brands.BrandIndexPage": "portal page above the brands: staff only (tests/guard)",
    "brands.CataloguePage": "public listing of live products",
    "brands.BrandCertification": "part of live page A (edited with the brand page)",
    "brands.ProductCertification": "part of live page A (edited with the product)",
    "brands.ProductGalleryImage": "part of live page A; images are image A",
    "brands.TraceabilityRecord": "part of live page A (edited with the product)",
    "shop.Cart": "session's own cart (tests/shop)",
    "shop.CartLine": "session's own cart (tests/shop)",
    "shop.OrderLine": "shown only inside order A",
    "shop.OrderFulfilment": "brand team's orders in the shop admin (tests/guard, tests/shop)",
    "shop.OrderReviewEntry": "on the brand team's order screen (tests/shop/test_review_log.py)",
    "shop.Refund": "brand team's orders in the shop admin (tests/guard, tests/shop)",
    "shop.OrderNumberCounter": "internal counter, no view",
    "shop.PayableEntry": "brand team's statement in the shop admin (tests/shop)",
    "shop.ProcessedStripeEvent": "webhook bookkeeping, no view",
    "shop.BankTransaction": "bank-feed bookkeeping, no view yet (staff review to come)",
    "shop.BuyerNotice": "outbox of buyer emails, no view (tests/shop/test_buyer_notices.py)",
    "shop.SavedAddress": "own account only (/my/addresses/)",
    "shop.ShippingPolicy": "brand team's shop settings (tests/shop)",
    "shop.StockRecord": "brand team's stock in the shop admin (tests/shop)",
    "shop.StockReservation": "internal stock holds, no view",
    "assessment.Answer": "shown only inside assessment A",
    "assessment.PillarResult": "shown only inside assessment A",
    "assessment.PillarTotal": "aggregate for the dashboard and open data",
    "assessment.CriterionTotal": "aggregate for the dashboard and open data",
    "assessment.PillarYearTotal": "aggregate for the dashboard and open data",
    "assessment.ProvinceFiguresStamp": "cache key of the province figures, no view",
    "assessment.FrameworkVersion": "question banks: staff only (tests/assessment)",
}


@dataclass
class World:
    a: object
    b: object
    users: dict
    order_a: object
    assessment_a: object
    application: object
    dispute: object
    assessment_c: object


@pytest.fixture
def world(site_pages):
    from brands.models import ProductVariant
    from organisations.models import Membership
    from organisations.services import province_staff_group_ensure
    from pages.models import HomePage
    from shop.cart import cart_add
    from shop.models import Cart, ShippingPolicy, StockRecord
    from shop.services import orders as order_services
    from tests.factories import OrganisationFactory, UserFactory, valid_tax_code
    from tests.factories.assessment import (
        published_default_framework,
        submitted_assessment,
    )
    from tests.factories.guard import build_house
    from tests.factories.joining import submitted_application, verified_user
    from tests.factories.pages import BrandIndexPageFactory

    home = HomePage.objects.get(locale__language_code="vi")
    index = BrandIndexPageFactory(parent=home, publish=True)
    a, b = build_house(index, "A"), build_house(index, "B")
    staff = UserFactory()
    staff.groups.add(province_staff_group_ensure())
    applicant = verified_user()
    invited, invitee, unverified = verified_user(), verified_user(), verified_user()
    accepted = invitation_create(
        organisation=a.organisation, by=a.owner, email=invited.email
    )
    invitation_accept(token=accepted.token, user=invited)
    invitation_create(organisation=a.organisation, by=a.owner, email=invitee.email)
    organisation_c = OrganisationFactory(verified_at=None)
    Membership.objects.create(
        user=unverified, organisation=organisation_c, role=Membership.Role.OWNER
    )
    users = {
        ANON: None,
        BUYER_A: UserFactory(),
        BUYER_B: UserFactory(),
        EDITOR_A: a.editor,
        OWNER_A: a.owner,
        INVITED_A: invited,
        INVITEE_A: invitee,
        EDITOR_B: b.editor,
        UNVERIFIED: unverified,
        APPLICANT: applicant,
        STAFF: staff,
        ROOT: UserFactory(is_superuser=True, is_staff=True),
    }
    StockRecord.objects.create(variant=a.variant, quantity_on_hand=10)
    ShippingPolicy.objects.update_or_create(
        organisation=a.organisation, defaults={"flat_fee": 30_000, "free_over": None}
    )
    cart = Cart.objects.create(user=users[BUYER_A])
    variant = ProductVariant.objects.get(pk=a.variant.pk)
    cart_add(cart=cart, variant_public_id=variant.public_id, quantity=1, language="vi")
    order = order_services.order_place(
        cart=cart,
        checkout_token=uuid.uuid4(),
        details=order_services.CheckoutDetails(
            email="a@example.com",
            phone="0912345678",
            recipient_name=f"Người mua {a.marker}",
            recipient_phone="0912345678",
            province="An Giang",
            commune="Long Xuyên",
            street="12 Trần Hưng Đạo",
            notes="",
        ),
        user=users[BUYER_A],
        language="vi",
        expected_total=None,
    )
    published_default_framework()
    assessment = submitted_assessment(a.organisation, a.owner)
    assessment_c = submitted_assessment(organisation_c, unverified)
    application = submitted_application(
        applicant,
        legal_name=f"HTX Xin Gia Nhập {a.marker}",
        tax_code=valid_tax_code(777),
    )
    dispute = submitted_application(
        applicant,
        legal_name=f"HTX Tranh Chấp {a.marker}",
        tax_code=a.organisation.tax_code,
        status="disputed",
        dispute_statement="Mã số thuế là của chúng tôi.",
    )
    return World(
        a=a,
        b=b,
        users=users,
        order_a=order,
        assessment_a=assessment,
        application=application,
        dispute=dispute,
        assessment_c=assessment_c,
    )


def _client(user) -> Client:
    client = Client(raise_request_exception=False)
    if user is not None:
        client.force_login(user)
    return client


@pytest.mark.timeout(600)
def test_permission_matrix(world):
    unexpected: list[str] = []
    clients = {role: _client(user) for role, user in world.users.items()}
    for (obj, action), cell in TABLE.items():
        for role in ROLES:
            expected = role in cell.allowed
            label = f"{role:9} {action:10} {obj}"
            if cell.method == "perm":
                user = world.users[role] or _anonymous()
                allowed = bool(cell.target(world, user))
                if allowed != expected:
                    unexpected.append(f"{label}: allowed={allowed}")
                continue
            response = getattr(clients[role], cell.method)(cell.target(world))
            status = response.status_code
            raw = (
                b"".join(response.streaming_content)
                if response.streaming
                else response.content
            )
            body = raw.decode(errors="replace")
            if status >= 500:
                unexpected.append(f"{label}: {status}")
                continue
            allowed = status == 200
            if cell.listing:
                allowed = allowed and world.a.marker in body
            if allowed != expected:
                unexpected.append(f"{label}: {status}, expected allow={expected}")
            if not expected and world.a.marker in body:
                unexpected.append(f"{label}: deny leaks brand A's marker")
            if expected and cell.marker and world.a.marker not in body:
                unexpected.append(f"{label}: allowed but brand A's content is missing")
    assert unexpected == [], "\n".join(unexpected)


def _anonymous():
    from django.contrib.auth.models import AnonymousUser

    return AnonymousUser()


def test_roles_are_distinct_users(world):
    users = [u for u in world.users.values() if u is not None]
    assert len({u.pk for u in users}) == len(ROLES) - 1
    assert get_user_model().objects.filter(is_superuser=True).count() == 1
