"""Factories for the project's models; every test builds only what it needs."""

from __future__ import annotations

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone
from stdnum.vn import mst

from organisations.models import Commune, Membership, Organisation, Sector
from organisations.services import membership_add, organisation_onboard


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()

    email = factory.Sequence(lambda n: f"user{n}@example.com")
    first_name = "Test"

    @classmethod
    def _create(cls, model_class, *args, password="correct horse battery", **kwargs):
        return model_class.objects.create_user(*args, password=password, **kwargs)


def valid_tax_code(n: int) -> str:
    """The n-th distinct tax code whose check digit is right (python-stdnum's rule)."""
    for last in range(10):
        base = f"16{n + 1:06d}{last}"
        check = mst.calc_check_digit(base)
        if len(check) == 1:  # a remainder of 0 leaves no valid check digit
            return base + check
    raise AssertionError(n)  # unreachable: some last digit always works


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    kind = Organisation.Kind.COOPERATIVE
    legal_name = factory.Sequence(lambda n: f"Hợp tác xã Thử Nghiệm {n}")
    trading_name = factory.Sequence(lambda n: f"HTX Thử {n}")
    tax_code = factory.Sequence(valid_tax_code)
    commune = factory.LazyFunction(lambda: Commune.objects.get(name="Long Xuyên"))
    sector = Sector.RICE
    employees = 12
    annual_revenue = 5_000_000_000
    # Verified unless a test says otherwise: most tests are about firms the
    # province has checked; the unverified ones are the exception under test.
    verified_at = factory.LazyFunction(timezone.now)


def onboarded_organisation(**kwargs) -> Organisation:
    organisation = OrganisationFactory(**kwargs)
    organisation_onboard(organisation=organisation)
    organisation.refresh_from_db()
    return organisation


def member(organisation: Organisation, role: str = Membership.Role.EDITOR, **kwargs):
    user = UserFactory(**kwargs)
    membership_add(organisation=organisation, user=user, role=role)
    return user
