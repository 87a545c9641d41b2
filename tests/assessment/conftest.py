from __future__ import annotations

import pytest

from organisations.models import Membership
from tests.factories import member, onboarded_organisation
from tests.factories.assessment import published_default_framework


@pytest.fixture
def framework(db):
    return published_default_framework()


@pytest.fixture
def organisation(db):
    return onboarded_organisation()


@pytest.fixture
def owner(organisation):
    return member(organisation, Membership.Role.OWNER)


@pytest.fixture
def editor(organisation):
    return member(organisation, Membership.Role.EDITOR)
