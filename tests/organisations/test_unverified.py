"""Until verified, an organisation gets no admin, no uploads, no page rights
(issue 11, "Until verified")."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.utils import translation
from wagtail.models import GroupCollectionPermission, GroupPagePermission

from brands.models import BrandPage
from organisations.access import admin_scope
from organisations.errors import OrganisationNotVerified
from organisations.models import Membership, Organisation
from organisations.services import (
    organisation_grant_page_permissions,
    organisation_onboard,
    province_staff_group_ensure,
)
from tests.factories import OrganisationFactory, UserFactory, member
from tests.factories.brands import brand_page
from tests.factories.pages import BrandIndexPageFactory


def test_onboarding_an_unverified_organisation_is_refused(db):
    organisation = OrganisationFactory(verified_at=None)
    with pytest.raises(OrganisationNotVerified) as error:
        organisation_onboard(organisation=organisation)
    assert error.value.status == 409 and error.value.code == "not_verified"
    with translation.override("vi"):
        assert "chưa xác minh" in str(error.value.message)
    with translation.override("en"):
        assert "not verified" in str(error.value.message)
    organisation.refresh_from_db()
    assert organisation.group is None and organisation.collection is None


def test_page_grant_to_an_unverified_organisation_is_refused(site_pages):
    organisation = OrganisationFactory(verified_at=None)
    brand = BrandPage(title="Gạo Chưa Xác Minh", organisation=organisation)
    BrandIndexPageFactory(parent=site_pages, publish=True).add_child(instance=brand)
    with pytest.raises(OrganisationNotVerified):
        organisation_grant_page_permissions(organisation=organisation, page=brand)
    assert not GroupPagePermission.objects.filter(page=brand).exists()


def _withdrawn():
    """An organisation onboarded while verified whose verification was then
    withdrawn (or one an earlier wizard run onboarded): its group and grants
    are still there."""
    brand = brand_page()
    organisation = brand.organisation
    organisation_grant_page_permissions(organisation=organisation, page=brand)
    owner = member(organisation, Membership.Role.OWNER)
    Organisation.objects.filter(pk=organisation.pk).update(verified_at=None)
    organisation.refresh_from_db()
    return brand, organisation, owner


def test_members_of_an_unverified_organisation_get_no_admin_scope(client, site_pages):
    brand, organisation, owner = _withdrawn()
    assert owner.groups.filter(pk=organisation.group_id).exists()
    scope = admin_scope(user=owner)
    assert scope.withheld
    assert scope.page_paths == () and scope.collection_paths == ()
    assert not scope.owns_page(brand)
    client.force_login(owner)
    for url in (
        "/admin/",
        f"/admin/pages/{brand.pk}/edit/",
        "/admin/images/",
        "/admin/documents/multiple/add/",
    ):
        response = client.get(url)
        assert response.status_code == 403, url
        assert "chưa xác minh" in response.content.decode()


def test_a_member_of_a_verified_organisation_too_keeps_that_one(client, site_pages):
    _brand, _organisation, owner = _withdrawn()
    verified = brand_page()
    organisation_grant_page_permissions(
        organisation=verified.organisation, page=verified
    )
    member_of_both = owner
    Membership.objects.create(
        user=member_of_both, organisation=verified.organisation, role="editor"
    )
    member_of_both.groups.add(verified.organisation.group)
    scope = admin_scope(user=member_of_both)
    assert not scope.withheld
    assert scope.owns_page(verified) and not scope.owns_page(_brand)
    client.force_login(member_of_both)
    assert client.get(f"/admin/pages/{verified.pk}/edit/").status_code == 200
    assert client.get(f"/admin/pages/{_brand.pk}/edit/").status_code in (403, 404)


def test_migration_takes_members_of_unverified_organisations_out_of_groups(
    site_pages,
):
    brand, organisation, owner = _withdrawn()
    verified = brand_page()
    other_owner = member(verified.organisation, Membership.Role.OWNER)
    grants = GroupCollectionPermission.objects.filter(group=organisation.group).count()
    migration = importlib.import_module(
        "organisations.migrations.0005_unverified_members_leave_admin_groups"
    )
    migration.leave_groups(apps, None)
    assert not owner.groups.filter(pk=organisation.group_id).exists()
    assert other_owner.groups.filter(pk=verified.organisation.group_id).exists()
    # The group and its data stay for staff.
    assert Group.objects.filter(pk=organisation.group_id).exists()
    assert (
        GroupCollectionPermission.objects.filter(group=organisation.group).count()
        == grants
    )
    assert Membership.objects.filter(user=owner, organisation=organisation).exists()


def test_staff_creating_an_organisation_verify_it(client, db):
    from organisations.models import Commune

    staff = UserFactory()
    staff.groups.add(province_staff_group_ensure())
    client.force_login(staff)
    taken = OrganisationFactory()
    data = {
        "kind": "household",
        "legal_name": "Hộ kinh doanh Trùng Mã",
        "tax_code": taken.tax_code,
        "commune": Commune.objects.get(name="Châu Đốc").pk,
        "sector": "food_processing",
        "employees": "3",
        "annual_revenue": "500000000",
    }
    before = Organisation.objects.count()
    refused = client.post("/admin/organisations/new/", data)
    assert refused.status_code == 409
    assert Organisation.objects.count() == before
    assert not Group.objects.filter(name__contains="Trùng Mã").exists()
