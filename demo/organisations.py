"""Demo organisations and their people (data: demo/data/organisations.yaml).

Organisations are onboarded and people added through the organisations app's
own services, exactly as staff approval does.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from organisations.models import Commune, Membership, Organisation
from organisations.services import (
    membership_add,
    organisation_mark_verified,
    organisation_onboard,
    province_staff_group_ensure,
)

from .data import load

# ensure_user(email, **fields) -> the user, with its demo password handled by
# the command (passwords are kept in one place).
EnsureUser = Callable[..., Any]

# The Organisation fields the data file sets; a re-run saves only on change.
FIELDS = (
    "kind",
    "legal_name",
    "trading_name",
    "sector",
    "employees",
    "annual_revenue",
    "founded_year",
    "contact_name",
    "phone",
    "address",
)


@dataclass(frozen=True, kw_only=True)
class DemoOrganisation:
    slug: str
    kind: str
    legal_name: str
    trading_name: str
    tax_code: str
    commune: str
    sector: str
    employees: int
    annual_revenue: int
    founded_year: int
    contact_name: str
    phone: str
    address: str


def demo_organisations() -> tuple[DemoOrganisation, ...]:
    """The organisations that get brand content (brands.yaml refers to their slugs)."""
    return tuple(
        DemoOrganisation(**row) for row in load("organisations")["organisations"]
    )


def assessment_peers() -> tuple[DemoOrganisation, ...]:
    """Organisations with an owner but no brand content (assessment peers)."""
    return tuple(
        DemoOrganisation(**row) for row in load("organisations")["assessment_peers"]
    )


def owner_email(slug: str) -> str:
    return load("organisations")["owner_email"].format(slug=slug)


def editor_email(slug: str) -> str:
    return load("organisations")["editor_email"].format(slug=slug)


def seed_organisations(*, ensure_user: EnsureUser) -> list[tuple[str, str, str]]:
    """Create the demo organisations, one owner each, staff and a superuser.

    ``ensure_user(email, **fields)`` returns the user with its demo password;
    it is passed in so passwords are handled in one place (the command).
    Returns (role, email, organisation) rows for printing.
    """
    data = load("organisations")
    rows: list[tuple[str, str, str]] = []
    staff_group = province_staff_group_ensure()
    superuser_data = data["superuser"]
    superuser = ensure_user(
        superuser_data["email"],
        first_name=superuser_data["first_name"],
        is_staff=True,
        is_superuser=True,
    )
    rows.append(("superuser", superuser.email, "-"))
    staff_data = data["province_staff"]
    staff = ensure_user(
        staff_data["email"],
        first_name=staff_data["first_name"],
        last_name=staff_data["last_name"],
    )
    staff.groups.add(staff_group)
    rows.append(("province_staff", staff.email, "-"))

    for demo in (*demo_organisations(), *assessment_peers()):
        organisation = _organisation_ensure(demo)
        # The demo firms stand for ones province staff have checked.
        organisation_mark_verified(organisation=organisation, by=staff)
        organisation_onboard(organisation=organisation)
        # Vietnamese names put the given name last.
        first, *rest = demo.contact_name.split(" ")[::-1]
        owner = ensure_user(
            owner_email(demo.slug), first_name=first, last_name=" ".join(reversed(rest))
        )
        membership_add(
            organisation=organisation, user=owner, role=Membership.Role.OWNER
        )
        rows.append(("owner", owner.email, organisation.display_name))
    by_slug = {demo.slug: demo for demo in demo_organisations()}
    for slug in data["editors_for"]:
        organisation = Organisation.objects.get(tax_code=by_slug[slug].tax_code)
        editor = ensure_user(editor_email(slug), first_name=data["editor_first_name"])
        membership_add(
            organisation=organisation, user=editor, role=Membership.Role.EDITOR
        )
        rows.append(("editor", editor.email, organisation.display_name))
    return rows


def _organisation_ensure(demo: DemoOrganisation) -> Organisation:
    organisation = Organisation.objects.filter(tax_code=demo.tax_code).first()
    if organisation is None:
        organisation = Organisation(tax_code=demo.tax_code)
    for name in FIELDS:
        setattr(organisation, name, getattr(demo, name))
    organisation.commune = Commune.objects.get(name=demo.commune)
    organisation.email = owner_email(demo.slug)
    if organisation._state.adding or _changed(organisation):
        organisation.full_clean()
        organisation.save()
    return organisation


def _changed(organisation: Organisation) -> bool:
    stored = Organisation.objects.get(pk=organisation.pk)
    return any(
        getattr(stored, name) != getattr(organisation, name)
        for name in (*FIELDS, "commune_id", "email")
    )
