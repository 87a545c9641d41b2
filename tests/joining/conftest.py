"""A site with a bilingual brand index, a verified applicant and province staff."""

from __future__ import annotations

import pytest
from django.utils.functional import empty
from wagtail.models import Locale

from joining.models import private_storage
from organisations.services import (
    moderation_workflow_ensure,
    province_staff_group_ensure,
)
from tests.factories import UserFactory
from tests.factories.joining import (  # noqa: F401 - the tests import them from here
    evidence_pdf,
    form_data,
    submitted_application,
    verified_user,
)
from tests.factories.pages import BrandIndexPageFactory, home


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.MEDIA_ROOT = tmp_path / "media"
    # The storage is lazy: forget the one built for another test's directory.
    private_storage._wrapped = empty
    yield settings.PRIVATE_MEDIA_ROOT
    private_storage._wrapped = empty


@pytest.fixture
def brand_indexes(site_pages):
    vi_index = BrandIndexPageFactory(parent=home(language="vi"), publish=True)
    en_index = vi_index.copy_for_translation(Locale.objects.get(language_code="en"))
    en_index.save_revision().publish()
    moderation_workflow_ensure(pages=[vi_index, en_index.page_ptr])
    return vi_index, en_index


@pytest.fixture
def applicant(db):
    return verified_user()


@pytest.fixture
def staff(db):
    user = UserFactory()
    user.groups.add(province_staff_group_ensure())
    return user
