"""Organisations: tax codes, size classes, onboarding and who sees what in the admin."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.utils import translation
from wagtail.models import Collection, GroupCollectionPermission

from organisations.models import Organisation
from organisations.services import (
    PROVINCE_STAFF_GROUP,
    organisation_onboard,
    province_staff_group_ensure,
)
from organisations.sizing import BILLION, SectorGroup, SizeClass, size_class_for
from organisations.validators import validate_tax_code
from tests.factories import (
    OrganisationFactory,
    UserFactory,
    member,
    onboarded_organisation,
)


@pytest.mark.parametrize("code", ["1601234678", "0100109106", "1601234678-001"])
def test_valid_tax_codes(code):
    validate_tax_code(code)


@pytest.mark.parametrize(
    "code",
    [
        "160123456",  # 9 digits
        "16012345678",  # 11 digits
        "16012345AB",  # letters
        "1601 234567",  # inner space
        " 1601234678",  # leading space
        "１６０１２３４５６７",  # full-width digits
        "1601234678-01",  # branch too short
        "1601234678-0001",  # branch too long
        "1601234678_001",  # wrong separator
        "",
    ],
)
def test_invalid_tax_codes_get_a_clear_message(code):
    with translation.override("en"):
        with pytest.raises(ValidationError) as error:
            validate_tax_code(code)
        assert error.value.code == "invalid_tax_code"
        assert "10 digits" in error.value.messages[0]


def test_tax_code_message_is_vietnamese_by_default():
    with translation.override("vi"):
        with pytest.raises(ValidationError) as error:
            validate_tax_code("abc")
        assert "10 chữ số" in error.value.messages[0]


P = SectorGroup.PRODUCTION
T = SectorGroup.TRADE_SERVICES


@pytest.mark.parametrize(
    ("group", "employees", "revenue", "capital", "expected"),
    [
        # Production: micro <=10 and (rev <=3bn or cap <=3bn)
        (P, 10, 3 * BILLION, None, SizeClass.MICRO),
        (P, 11, 3 * BILLION, None, SizeClass.SMALL),
        (P, 10, 3 * BILLION + 1, None, SizeClass.SMALL),
        (P, 10, 9 * BILLION, 3 * BILLION, SizeClass.MICRO),  # capital qualifies
        (P, 100, 50 * BILLION, None, SizeClass.SMALL),
        (P, 101, 50 * BILLION, None, SizeClass.MEDIUM),
        (P, 100, 50 * BILLION + 1, 20 * BILLION, SizeClass.SMALL),
        (P, 200, 200 * BILLION, None, SizeClass.MEDIUM),
        (P, 201, 1 * BILLION, None, SizeClass.LARGE),
        (P, 200, 200 * BILLION + 1, 100 * BILLION + 1, SizeClass.LARGE),
        # Trade and services: micro <=10 and (rev <=10bn or cap <=3bn)
        (T, 10, 10 * BILLION, None, SizeClass.MICRO),
        (T, 10, 10 * BILLION + 1, None, SizeClass.SMALL),
        (T, 50, 100 * BILLION, None, SizeClass.SMALL),
        (T, 51, 100 * BILLION, None, SizeClass.MEDIUM),
        (T, 100, 300 * BILLION, None, SizeClass.MEDIUM),
        (T, 101, 300 * BILLION, None, SizeClass.LARGE),
        (T, 100, 300 * BILLION + 1, 100 * BILLION, SizeClass.MEDIUM),
        # No money figures at all: cannot qualify for any SME class.
        (P, 3, None, None, SizeClass.LARGE),
    ],
)
def test_size_class_at_each_threshold(group, employees, revenue, capital, expected):
    assert (
        size_class_for(
            sector_group=group,
            employees=employees,
            annual_revenue=revenue,
            total_capital=capital,
        )
        == expected
    )


def test_size_class_rejects_negative_figures():
    with pytest.raises(ValueError):
        size_class_for(
            sector_group=P, employees=-1, annual_revenue=1, total_capital=None
        )


def test_size_class_is_stored_and_follows_the_figures(db):
    organisation = OrganisationFactory(employees=5, annual_revenue=2 * BILLION)
    assert organisation.size_class == "micro"
    organisation.employees = 150
    organisation.save()
    organisation.refresh_from_db()
    assert organisation.size_class == "medium"


def test_onboarding_creates_exactly_one_group_and_collection_and_is_idempotent(db):
    organisation = OrganisationFactory()
    groups_before = Group.objects.count()
    collections_before = Collection.objects.count()

    first = organisation_onboard(organisation=organisation)
    grants = GroupCollectionPermission.objects.count()
    second = organisation_onboard(organisation=organisation)

    organisation.refresh_from_db()
    # The shared "Organisations" parent collection is created once, by the first.
    assert Group.objects.count() == groups_before + 1
    assert Collection.objects.count() == collections_before + 2
    assert first.created is True and second.created is False
    assert organisation.group == first.group == second.group
    assert organisation.collection == first.collection == second.collection
    assert GroupCollectionPermission.objects.count() == grants
    codenames = set(
        GroupCollectionPermission.objects.filter(group=organisation.group).values_list(
            "permission__codename", flat=True
        )
    )
    assert codenames == {
        "add_image",
        "change_image",
        "choose_image",
        "add_document",
        "change_document",
        "choose_document",
    }
    assert set(
        GroupCollectionPermission.objects.filter(group=organisation.group).values_list(
            "collection", flat=True
        )
    ) == {organisation.collection_id}


def test_onboarding_two_organisations_gives_each_its_own(db):
    a = onboarded_organisation()
    b = onboarded_organisation()
    assert a.group != b.group
    assert a.collection != b.collection


def test_members_join_their_organisation_group(db):
    organisation = onboarded_organisation()
    user = member(organisation)
    assert list(user.groups.all()) == [organisation.group]


@pytest.fixture
def two_orgs(db):
    province_staff_group_ensure()
    a = onboarded_organisation(legal_name="HTX Alpha Bí Mật")
    b = onboarded_organisation(legal_name="HTX Beta Bí Mật")
    return a, b, member(a), member(b)


def test_editor_of_a_cannot_see_or_change_organisation_b_in_the_admin(client, two_orgs):
    a, b, editor_a, _ = two_orgs
    client.force_login(editor_a)
    assert client.get("/admin/").status_code == 200
    for url in (
        "/admin/organisations/",
        f"/admin/organisations/edit/{b.pk}/",
        f"/admin/organisations/inspect/{b.pk}/",
        f"/admin/organisations/delete/{b.pk}/",
    ):
        response = client.get(url)
        assert response.status_code in (302, 403, 404), url
        assert "Beta Bí Mật" not in response.content.decode()
    response = client.post(
        f"/admin/organisations/edit/{b.pk}/",
        {"legal_name": "Hijacked", "tax_code": b.tax_code},
    )
    assert response.status_code in (302, 403, 404)
    b.refresh_from_db()
    assert b.legal_name == "HTX Beta Bí Mật"


def test_province_staff_see_and_edit_every_organisation(client, two_orgs):
    a, b, *_ = two_orgs
    staff = UserFactory()
    staff.groups.add(Group.objects.get(name=PROVINCE_STAFF_GROUP))
    client.force_login(staff)
    listing = client.get("/admin/organisations/").content.decode()
    assert "Alpha Bí Mật" in listing and "Beta Bí Mật" in listing
    assert client.get(f"/admin/organisations/edit/{b.pk}/").status_code == 200


def test_staff_creating_an_organisation_onboards_it(client, two_orgs):
    staff = UserFactory()
    staff.groups.add(Group.objects.get(name=PROVINCE_STAFF_GROUP))
    client.force_login(staff)
    from organisations.models import Commune

    response = client.post(
        "/admin/organisations/new/",
        {
            "kind": "household",
            "legal_name": "Hộ kinh doanh Mới",
            "tax_code": "1609990997",
            "commune": Commune.objects.get(name="Châu Đốc").pk,
            "sector": "food_processing",
            "employees": "3",
            "annual_revenue": "500000000",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    created = Organisation.objects.get(tax_code="1609990997")
    assert created.group is not None and created.collection is not None
    assert created.size_class == "micro"


def test_staff_get_a_form_error_not_a_crash_for_a_bad_tax_code(client, two_orgs):
    staff = UserFactory()
    staff.groups.add(Group.objects.get(name=PROVINCE_STAFF_GROUP))
    client.force_login(staff)
    from organisations.models import Commune

    count = Organisation.objects.count()
    response = client.post(
        "/admin/organisations/new/",
        {
            "kind": "household",
            "legal_name": "X",
            "tax_code": "１６０９９９９９９９",
            "commune": Commune.objects.get(name="Châu Đốc").pk,
            "sector": "food_processing",
            "employees": "3",
        },
    )
    assert response.status_code == 200
    assert "10 chữ số" in response.content.decode()
    assert Organisation.objects.count() == count
