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


@pytest.fixture(autouse=True)
def vietnamese():
    """Requests to /en/ leave English active in the thread; start each test in vi."""
    from django.utils import translation

    translation.activate("vi")
    yield
    translation.activate("vi")
