"""Every admin form our users can reach, and how the sweep tampers with it.

Each ``AdminForm`` says who opens which page, which form on it is posted,
and which fields carry ids of objects (so another organisation's ids can be
posted instead). The sweep (``test_admin_form_sweep.py``) reads the real
form from a GET, posts it back once untouched (it must be accepted, so the
other fields are valid), then once per field and hostile value with just that
field changed. ``tests/guard/test_admin_forms.py`` fails when an admin route
that accepts POST is neither here nor excluded with a reason.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.files.base import ContentFile
from wagtail.documents import get_document_model
from wagtail.images import get_image_model

from tests.factories import valid_tax_code
from tests.guard.forms import ReadForm

EDITOR, OWNER, STAFF, ROOT = "editor_a", "owner_a", "staff", "superuser"

# Fields Django or Wagtail never read from the body, or read only to pick
# where to go next: a tampered value there changes nothing, so the save may
# go through with the other (valid) fields.
IGNORED = (
    "next",
    "-MIN_NUM_FORMS",
    "-MAX_NUM_FORMS",
    # The editor's conflict check: a stale or bogus revision only skips the
    # "someone else saved meanwhile" warning, it never picks what is saved.
    "loaded_revision_created_at",
    "loaded_revision_id",
    # Inline rows: ordering and the delete tick box of a row, read as "set or not".
    "-ORDER",
    "-DELETE",
)
# Text inputs that are still structured values: tampering must be refused.
STRUCTURED_TEXT = (
    "slug",
    "go_live_at",
    "expire_at",
    "issued_on",
    "valid_until",
    "harvested_on",
    "email",
    "tax_code",
    "growing_area_code",
    "packing_house_code",
    "focal_point_",
    "price",
    "weight_grams",
)


@dataclass(frozen=True)
class AdminForm:
    """One form of the admin, as a user of ours reaches it."""

    name: str
    routes: tuple[str, ...]  # URL names the form posts to (the coverage guard)
    actor: str
    page: Callable  # world -> path of the page showing the form
    form: Callable[[ReadForm], bool]  # picks the form among the page's forms
    post_to: Callable | None = None  # world -> path (default: form action or page)
    extra: dict[str, str] = field(default_factory=dict)  # the clicked button
    foreign: Callable = lambda w: {}  # world -> {field: another house's id}
    method: str = "post"
    preview: bool = False  # answers JSON {"is_valid": ...}, writes nothing
    # Free text of this form that is structured all the same (refusal required).
    structured: tuple[str, ...] = ()
    # An empty "new" form is filled from an existing object's edit page
    # (world -> path), with ``fill`` (world -> values) changed on top.
    fill_from: Callable | None = None
    fill: Callable = lambda w: {}
    # The untouched form is refused by the service, not the form (a refund of
    # an order with no card payment): probes then only prove no 5xx, no write.
    control_refused: str = ""
    # (field, value label) taken as data on purpose, with the reason.
    allowed: dict[tuple[str, str], str] = field(default_factory=dict)
    few_values: bool = False  # big page forms: a cut of the catalogue (speed)


def form_id(value: str) -> Callable[[ReadForm], bool]:
    return lambda form: form.id == value


def form_action(fragment: str, *, field_name: str = "", value: str = "") -> Callable:
    def pick(form: ReadForm) -> bool:
        if form.method != "post" or fragment not in form.action:
            return False
        return not field_name or form.data.get(field_name) == value

    return pick


def post_form_with(field_name: str, value: str) -> Callable:
    """The form with this hidden value or this named submit button."""
    return lambda form: (
        form.method == "post"
        and (form.data.get(field_name) == value or (field_name, value) in form.buttons)
    )


def any_post_form(form: ReadForm) -> bool:
    return form.method == "post" and "csrfmiddlewaretoken" in form.data


def is_lenient(form: AdminForm, name: str, kind: str) -> bool:
    """May a hostile value in this field be accepted as data?"""
    if any(name.endswith(suffix) or name == suffix for suffix in IGNORED):
        return True
    if kind == "checkbox":
        return True  # a browser sends any value of a ticked box as "on"
    if kind not in ("text", "textarea", "search", "url"):
        return False
    short = name.rsplit("-", 1)[-1]
    return not any(short.startswith(word) for word in STRUCTURED_TEXT + form.structured)


# --- The world: two houses and everything a form of theirs needs -----------------


@dataclass
class SweepWorld:
    a: object
    b: object
    users: dict
    home: object
    standard: object
    index: object
    catalogue: object
    a_part: object
    b_part: object
    a_invitation: object
    b_invitation: object
    application: object
    dispute: object
    framework: object
    b_rows: dict


def _rows(page, *, document, image) -> dict:
    """One certification, gallery image and traceability row, published."""
    from brands.models import (
        ProductCertification,
        ProductGalleryImage,
        TraceabilityRecord,
    )

    page.certifications.add(
        ProductCertification(
            kind="vietgap",
            number="VG-001",
            issuer="Sở NN&MT An Giang",
            issued_on=datetime.date(2025, 1, 2),
            document=document,
        )
    )
    page.gallery_images.add(ProductGalleryImage(image=image, alt_text="Bao gạo"))
    page.traceability_records.add(
        TraceabilityRecord(lot_number="L1", harvested_on=datetime.date(2025, 3, 1))
    )
    page.save_revision().publish()
    page.refresh_from_db()
    return {
        "certification": ProductCertification.objects.get(page=page).pk,
        "gallery": ProductGalleryImage.objects.get(page=page).pk,
        "traceability": TraceabilityRecord.objects.get(page=page).pk,
    }


def build_world(site_pages) -> SweepWorld:
    from assessment.models import FrameworkVersion
    from organisations.members import invitation_create
    from pages.models import StandardPage
    from shop.models import ShippingPolicy, StockRecord
    from tests.factories import UserFactory, valid_tax_code
    from tests.factories.guard import build_house, moderated_index, province_staff_user
    from tests.factories.joining import submitted_application, verified_user
    from tests.factories.pages import CataloguePageFactory, StandardPageFactory
    from tests.factories.shop import order_part

    home = site_pages
    index = moderated_index(home)
    a, b = build_house(index, "A"), build_house(index, "B")
    _rows(a.product, document=a.document, image=a.image)
    b_rows = _rows(b.product, document=b.document, image=b.image)
    for house in (a, b):
        StockRecord.objects.create(variant=house.variant, quantity_on_hand=7)
        ShippingPolicy.objects.get_or_create(
            organisation=house.organisation, defaults={"flat_fee": 30_000}
        )
    a_part = order_part(organisation=a.organisation, brand_title=a.brand.title)
    b_part = order_part(organisation=b.organisation, brand_title=b.brand.title)
    a_invitation = invitation_create(
        organisation=a.organisation, by=a.owner, email="moi-a@example.com"
    ).invitation
    b_invitation = invitation_create(
        organisation=b.organisation, by=b.owner, email="moi-b@example.com"
    ).invitation
    applicant = verified_user()
    application = submitted_application(applicant, tax_code=valid_tax_code(701))
    dispute = submitted_application(
        verified_user(),
        tax_code=a.organisation.tax_code,
        status="disputed",
        dispute_statement="Mã số thuế là của chúng tôi.",
    )
    framework = FrameworkVersion.objects.create(
        code="sweep", version="t1", definition=json.loads(_definition("t1"))
    )
    standard = StandardPage.objects.filter(locale=home.locale).first()
    if standard is None:
        standard = StandardPageFactory(parent=home, publish=True)
    catalogue = CataloguePageFactory(parent=home, publish=True)
    users = {
        EDITOR: a.editor,
        OWNER: a.owner,
        STAFF: province_staff_user(),
        ROOT: UserFactory(is_superuser=True, is_staff=True),
    }
    return SweepWorld(
        a=a,
        b=b,
        users=users,
        home=home,
        standard=standard,
        index=index,
        catalogue=catalogue,
        a_part=a_part,
        b_part=b_part,
        a_invitation=a_invitation,
        b_invitation=b_invitation,
        application=application,
        dispute=dispute,
        framework=framework,
        b_rows=b_rows,
    )


def _definition(version: str) -> str:
    import json

    from tests.factories.assessment import small_framework_data

    data = small_framework_data(version)
    data["code"] = "sweep"
    return json.dumps(data, ensure_ascii=False)


def spare_image(world: SweepWorld):
    return get_image_model().objects.create(
        title="Spare",
        file=ContentFile(b"", name="spare.jpg"),
        collection=world.a.organisation.collection,
    )


def spare_document(world: SweepWorld):
    return get_document_model().objects.create(
        title="Spare",
        file=ContentFile(b"%PDF-1.4\n%%EOF\n", name="spare.pdf"),
        collection=world.a.organisation.collection,
    )


# --- The table ---------------------------------------------------------------

# A slug is text for the browser but a structured value: Wagtail slugifies
# what it is given (allow_unicode), so a hostile value in it is saved as a
# harmless slug of letters, digits and dashes, not refused.
SLUG_VALUES = {
    ("slug", label): "Wagtail slugifies the slug (letters, digits, dashes)"
    for label in ("non_numeric", "huge_int", "int32_overflow", "negative")
}


def _page_forms(label: str, actor: str, page: Callable, **options) -> list[AdminForm]:
    edit = lambda w: f"/admin/pages/{page(w).pk}/edit/"  # noqa: E731
    return [
        AdminForm(
            f"{label} edit",
            ("wagtailadmin_pages:edit",),
            actor,
            edit,
            form_id("page-edit-form"),
            few_values=True,
            **options,
        ),
        AdminForm(
            f"{label} preview",
            ("wagtailadmin_pages:preview_on_edit",),
            actor,
            edit,
            form_id("page-edit-form"),
            post_to=lambda w: f"/admin/pages/{page(w).pk}/edit/preview/",
            preview=True,
            few_values=True,
            **options,
        ),
    ]


def _product_foreign(w) -> dict[str, str]:
    return {
        "certifications-0-id": w.b_rows["certification"],
        "gallery_images-0-id": w.b_rows["gallery"],
        "traceability_records-0-id": w.b_rows["traceability"],
        "certifications-0-document": w.b.document.pk,
        "gallery_images-0-image": w.b.image.pk,
    }


def _brand_foreign(w) -> dict[str, str]:
    return {"logo": w.b.image.pk, "hero_image": w.b.image.pk}


def _members_form(action: str, **options) -> AdminForm:
    """One of the owner's forms on the members page (one button each)."""
    return AdminForm(
        f"members {action}",
        ("organisation_members:index",),
        OWNER,
        lambda w: (
            f"/admin/organisation/members/?organisation={w.a.organisation.public_id}"
        ),
        post_form_with("action", action),
        extra={"action": action},
        **options,
    )


# The page editor's forms: each post renders the whole editor, so they get a
# cut of the catalogue and run in CI's PostgreSQL pass (marked slow).
PAGE_FORMS: list[AdminForm] = [
    *_page_forms(
        "product page",
        EDITOR,
        lambda w: w.a.product,
        foreign=_product_foreign,
        allowed={
            **SLUG_VALUES,
            ("traceability_records-0-area_hectares", "decimal"): (
                "1.5 ha is a valid growing area"
            ),
        },
    ),
    *_page_forms(
        "brand page",
        EDITOR,
        lambda w: w.a.brand,
        foreign=_brand_foreign,
        allowed=SLUG_VALUES,
    ),
    *_page_forms("home page", STAFF, lambda w: w.home, allowed=SLUG_VALUES),
    *_page_forms("standard page", STAFF, lambda w: w.standard, allowed=SLUG_VALUES),
    *_page_forms("brand index page", STAFF, lambda w: w.index, allowed=SLUG_VALUES),
    *_page_forms("catalogue page", STAFF, lambda w: w.catalogue, allowed=SLUG_VALUES),
    AdminForm(
        "new product page",
        ("wagtailadmin_pages:add", "wagtailadmin_pages:preview_on_add"),
        EDITOR,
        lambda w: f"/admin/pages/add/brands/productpage/{w.a.brand.pk}/",
        form_id("page-edit-form"),
        fill=lambda w: {"title": "Gạo mới", "slug": "gao-moi", "category": "rice"},
        allowed=SLUG_VALUES,
        few_values=True,
    ),
    AdminForm(
        "page copy",
        ("wagtailadmin_pages:copy",),
        EDITOR,
        lambda w: f"/admin/pages/{w.a.draft.pk}/copy/",
        any_post_form,
        foreign=lambda w: {"new_parent_page": w.b.brand.pk},
        # The copy form offers the page's own slug, which is taken under the
        # same parent: a new one makes the untouched form valid.
        fill=lambda w: {"new_slug": "ban-sao"},
        allowed={
            (f"new_{name}", label): reason
            for (name, label), reason in SLUG_VALUES.items()
        },
    ),
    AdminForm(
        "page delete",
        ("wagtailadmin_pages:delete",),
        EDITOR,
        lambda w: f"/admin/pages/{w.a.draft.pk}/delete/",
        any_post_form,
    ),
    AdminForm(
        "page privacy",
        ("wagtailadmin_pages:set_privacy",),
        # Editors of a house may not restrict pages (the permission table):
        # province staff can, and the form answers with JSON for a modal.
        STAFF,
        lambda w: f"/admin/pages/{w.a.draft.pk}/privacy/",
        any_post_form,
        fill=lambda w: {"restriction_type": "login"},
    ),
]

ADMIN_FORMS: list[AdminForm] = [
    AdminForm(
        "image edit",
        ("wagtailimages:edit",),
        EDITOR,
        lambda w: f"/admin/images/{w.a.image.pk}/",
        lambda form: form.method == "post" and "title" in form.data,
        foreign=lambda w: {"collection": w.b.organisation.collection_id},
    ),
    AdminForm(
        "image delete",
        ("wagtailimages:delete",),
        EDITOR,
        lambda w: f"/admin/images/{w.a.image.pk}/delete/",
        any_post_form,
    ),
    AdminForm(
        "document edit",
        ("wagtaildocs:edit",),
        EDITOR,
        lambda w: f"/admin/documents/edit/{w.a.document.pk}/",
        any_post_form,
        foreign=lambda w: {"collection": w.b.organisation.collection_id},
    ),
    AdminForm(
        "document delete",
        ("wagtaildocs:delete",),
        EDITOR,
        lambda w: f"/admin/documents/delete/{w.a.document.pk}/",
        any_post_form,
    ),
    AdminForm(
        "variant new",
        ("product_variants:add",),
        EDITOR,
        lambda w: "/admin/product_variants/new/",
        any_post_form,
        foreign=lambda w: {"product": w.b.product.pk},
        fill_from=lambda w: f"/admin/product_variants/edit/{w.a.variant.pk}/",
        fill=lambda w: {"sku": "A-NEW-1"},
    ),
    AdminForm(
        "variant edit",
        ("product_variants:edit",),
        EDITOR,
        lambda w: f"/admin/product_variants/edit/{w.a.variant.pk}/",
        any_post_form,
        foreign=lambda w: {"product": w.b.product.pk},
    ),
    AdminForm(
        "variant delete",
        ("product_variants:delete",),
        EDITOR,
        lambda w: f"/admin/product_variants/delete/{w.a.variant.pk}/",
        any_post_form,
    ),
    AdminForm(
        "stock",
        ("shop_stock:update",),
        EDITOR,
        lambda w: "/admin/shop/stock/",
        form_action("/admin/shop/stock/"),
        # The old stock form posted the record's id in the body (``record``):
        # ``record=abc`` was a ValueError, a 500. Posted here still, harmlessly.
        extra={"record": "1"},
    ),
    AdminForm(
        "shipping terms",
        ("shop_shipping:update",),
        OWNER,
        lambda w: f"/admin/shop/shipping/{w.a.organisation.public_id}/",
        form_action("/admin/shop/shipping/"),
    ),
    AdminForm(
        "shipping terms, staff (COD limit)",
        ("shop_shipping:update",),
        STAFF,
        lambda w: f"/admin/shop/shipping/{w.a.organisation.public_id}/",
        form_action("/admin/shop/shipping/"),
    ),
    AdminForm(
        "order fulfilment",
        ("shop_orders:inspect",),
        EDITOR,
        lambda w: f"/admin/shop/orders/{w.a_part.public_id}/",
        post_form_with("action", "fulfilment"),
    ),
    AdminForm(
        "order refund",
        ("shop_orders:inspect",),
        OWNER,
        lambda w: f"/admin/shop/orders/{w.a_part.public_id}/",
        post_form_with("action", "refund"),
        control_refused="an order without a card payment cannot be refunded",
    ),
    _members_form(
        "invite",
        fill=lambda w: {"email": "dong-nghiep@example.com"},
        foreign=lambda w: {"organisation": w.b.organisation.public_id},
    ),
    _members_form(
        "revoke",
        foreign=lambda w: {
            "invitation": w.b_invitation.pk,
            "organisation": w.b.organisation.public_id,
        },
    ),
    _members_form(
        "remove",
        foreign=lambda w: {
            "user": w.b.editor.pk,
            "organisation": w.b.organisation.public_id,
        },
    ),
    _members_form("transfer", foreign=lambda w: {"user": w.b.editor.pk}),
    AdminForm(
        "application decision",
        ("joining_applications:detail",),
        STAFF,
        lambda w: f"/admin/applications/{w.application.pk}/",
        any_post_form,
        extra={"action": "reject", "reason": "Thiếu giấy tờ."},
    ),
    AdminForm(
        "dispute decision",
        ("joining_applications:detail",),
        STAFF,
        lambda w: f"/admin/applications/{w.dispute.pk}/",
        any_post_form,
        extra={"action": "uphold", "reason": "Sai chủ."},
    ),
    AdminForm(
        "organisation new",
        ("organisations:add",),
        STAFF,
        lambda w: "/admin/organisations/new/",
        any_post_form,
        fill_from=lambda w: f"/admin/organisations/edit/{w.a.organisation.pk}/",
        fill=lambda w: {"tax_code": valid_tax_code(702), "legal_name": "HTX Mới"},
    ),
    AdminForm(
        "organisation edit",
        ("organisations:edit",),
        STAFF,
        lambda w: f"/admin/organisations/edit/{w.a.organisation.pk}/",
        any_post_form,
        allowed={
            ("website", "bidi"): "reported: a bidi override passes URLField",
        },
    ),
    AdminForm(
        "framework new",
        ("assessment_frameworks:add",),
        STAFF,
        lambda w: "/admin/assessment_frameworks/new/",
        any_post_form,
        fill_from=lambda w: f"/admin/assessment_frameworks/edit/{w.framework.pk}/",
        fill=lambda w: {"version": "t2", "definition": _definition("t2")},
    ),
    AdminForm(
        "framework edit",
        ("assessment_frameworks:edit",),
        STAFF,
        lambda w: f"/admin/assessment_frameworks/edit/{w.framework.pk}/",
        any_post_form,
    ),
]
