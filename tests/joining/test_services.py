"""Applying, deciding, disputes and provisioning, through the services."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from wagtail.models import Collection, GroupPagePermission

from brands.models import BrandPage
from joining.errors import (
    ApplicationExists,
    DecisionNotAllowed,
    DecisionRefused,
    EmailNotVerified,
    JoiningError,
    TaxCodeClaimed,
)
from joining.models import OrganisationApplication
from joining.services import (
    application_approve,
    application_reject,
    application_submit,
    dispute_resolve,
)
from organisations.errors import TaxCodeAlreadyVerified
from organisations.models import Membership, Organisation
from shop.models import ShippingPolicy
from tests.factories import OrganisationFactory, UserFactory, onboarded_organisation

from .conftest import submitted_application, verified_user

Status = OrganisationApplication.Status


def _unsaved(applicant, **fields) -> OrganisationApplication:
    application = submitted_application(applicant, **fields)
    application.delete()  # keeps the evidence file; an unsaved copy to submit
    application.pk = None
    application.status = Status.SUBMITTED
    return application


def test_submit_needs_a_verified_email(db):
    user = UserFactory()
    with pytest.raises(EmailNotVerified):
        application_submit(applicant=user, application=_unsaved(user))
    assert OrganisationApplication.objects.count() == 0


def test_submit_saves_a_submitted_application(applicant):
    application = application_submit(
        applicant=applicant, application=_unsaved(applicant), language="en"
    )
    assert application.status == Status.SUBMITTED
    assert application.language == "en"
    # An application counts nowhere: no organisation exists yet.
    assert Organisation.objects.count() == 0


def test_a_second_open_application_for_the_same_code_is_refused(applicant):
    application_submit(applicant=applicant, application=_unsaved(applicant))
    with pytest.raises(ApplicationExists):
        application_submit(applicant=applicant, application=_unsaved(applicant))


def test_a_held_tax_code_asks_for_a_dispute_and_then_records_it(applicant):
    holder = OrganisationFactory(tax_code="0100109106")
    application = _unsaved(applicant, tax_code=holder.tax_code)
    with pytest.raises(TaxCodeClaimed):
        application_submit(applicant=applicant, application=application)
    with pytest.raises(JoiningError):  # a dispute says why
        application_submit(applicant=applicant, application=application, dispute=True)
    application.dispute_statement = "Chúng tôi là chủ thật sự; xem giấy phép."
    saved = application_submit(
        applicant=applicant, application=application, dispute=True
    )
    assert saved.status == Status.DISPUTED


def test_another_open_application_also_holds_the_code(applicant):
    submitted_application(verified_user())
    with pytest.raises(TaxCodeClaimed):
        application_submit(applicant=applicant, application=_unsaved(applicant))


def test_approve_provisions_everything_in_one_go(applicant, staff, brand_indexes):
    application = submitted_application(applicant)
    result = application_approve(application=application, by=staff)
    organisation = result.organisation
    assert organisation.is_verified and organisation.verified_by == staff
    assert organisation.group is not None and organisation.collection is not None
    assert applicant.groups.filter(pk=organisation.group.pk).exists()
    membership = Membership.objects.get(organisation=organisation, user=applicant)
    assert membership.role == Membership.Role.OWNER
    pages = BrandPage.objects.filter(organisation=organisation)
    assert {p.locale.language_code for p in pages} == {"vi", "en"}
    assert not any(p.live for p in pages)
    vi = pages.get(locale__language_code="vi")
    en = pages.get(locale__language_code="en")
    assert vi.title == "HTX Lúa Sạch" and "Long Xuyên" in vi.tagline
    assert en.translation_key == vi.translation_key
    assert "Replace this text" in str(en.story) and "Replace this text" not in str(
        vi.story
    )
    for page in (vi, en):
        assert GroupPagePermission.objects.filter(
            group=organisation.group, page=page, permission__codename="change_page"
        ).exists()
        assert page.permissions_for_user(applicant).can_edit()
    policy = ShippingPolicy.objects.get(organisation=organisation)
    assert (policy.flat_fee, policy.free_over) == (30_000, 500_000)
    application.refresh_from_db()
    assert application.status == Status.APPROVED
    assert application.organisation == organisation


def test_approve_is_idempotent(applicant, staff, brand_indexes):
    application = submitted_application(applicant)
    first = application_approve(application=application, by=staff)
    counts = (
        Organisation.objects.count(),
        Group.objects.count(),
        Collection.objects.count(),
        BrandPage.objects.count(),
        ShippingPolicy.objects.count(),
        Membership.objects.count(),
    )
    second = application_approve(application=application, by=staff)
    assert second.organisation == first.organisation
    assert second.brand_page == first.brand_page
    assert counts == (
        Organisation.objects.count(),
        Group.objects.count(),
        Collection.objects.count(),
        BrandPage.objects.count(),
        ShippingPolicy.objects.count(),
        Membership.objects.count(),
    )


def test_a_failure_half_way_leaves_nothing_written(applicant, staff, site_pages):
    # No brand index: provisioning fails after verification and onboarding
    # (group and collection) have been written inside the transaction.
    groups, collections = Group.objects.count(), Collection.objects.count()
    application = submitted_application(applicant)
    with pytest.raises(Exception) as caught:
        application_approve(application=application, by=staff)
    assert getattr(caught.value, "code", "") == "no_brand_index"
    assert Organisation.objects.count() == 0
    assert (Group.objects.count(), Collection.objects.count()) == (groups, collections)
    assert ShippingPolicy.objects.count() == 0
    assert Membership.objects.count() == 0
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED


def test_only_staff_decide(applicant, brand_indexes):
    application = submitted_application(applicant)
    for user in (applicant, UserFactory()):
        with pytest.raises(DecisionNotAllowed):
            application_approve(application=application, by=user)
        with pytest.raises(DecisionNotAllowed):
            application_reject(application=application, by=user, reason="x")
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED


def test_superusers_decide(applicant, brand_indexes):
    root = UserFactory(is_superuser=True)
    application = submitted_application(applicant)
    assert application_approve(application=application, by=root).organisation


def test_reject_needs_a_reason_and_closes(applicant, staff):
    application = submitted_application(applicant)
    with pytest.raises(JoiningError):
        application_reject(application=application, by=staff, reason="  ")
    application_reject(application=application, by=staff, reason="Giấy phép mờ.")
    application.refresh_from_db()
    assert application.status == Status.REJECTED
    assert application.decision_reason == "Giấy phép mờ."
    with pytest.raises(DecisionRefused):
        application_approve(application=application, by=staff)


def test_approving_onto_a_verified_holder_is_refused(applicant, staff, brand_indexes):
    holder = onboarded_organisation(tax_code="0100109106")
    application = submitted_application(applicant, tax_code=holder.tax_code)
    with pytest.raises(TaxCodeAlreadyVerified):
        application_approve(application=application, by=staff)
    assert Organisation.objects.count() == 1


def test_a_disputed_application_is_decided_only_as_a_dispute(applicant, staff):
    application = submitted_application(applicant, status=Status.DISPUTED)
    with pytest.raises(DecisionRefused):
        application_approve(application=application, by=staff)
    with pytest.raises(DecisionRefused):
        application_reject(application=application, by=staff, reason="x")


def test_dispute_upheld_keeps_the_holder(applicant, staff):
    holder = onboarded_organisation(tax_code="0100109106")
    application = submitted_application(
        applicant, tax_code=holder.tax_code, status=Status.DISPUTED
    )
    dispute_resolve(application=application, by=staff, transfer=False, reason="Sai.")
    application.refresh_from_db()
    holder.refresh_from_db()
    assert application.status == Status.REJECTED
    assert application.dispute_resolution == "holder_upheld"
    assert holder.is_verified


def test_dispute_transfer_verifies_the_claimant_and_unverifies_the_holder(
    applicant, staff, brand_indexes
):
    holder = onboarded_organisation(tax_code="0100109106")
    holder_owner = UserFactory()
    from organisations.services import membership_add

    membership_add(organisation=holder, user=holder_owner, role="owner")
    rival = submitted_application(verified_user(), tax_code=holder.tax_code)
    application = submitted_application(
        applicant, tax_code=holder.tax_code, status=Status.DISPUTED
    )
    decided = dispute_resolve(
        application=application, by=staff, transfer=True, reason="Giấy phép thật."
    )
    assert {a.pk for a in decided} == {application.pk, rival.pk}
    holder.refresh_from_db()
    application.refresh_from_db()
    rival.refresh_from_db()
    assert not holder.is_verified
    assert not holder_owner.groups.filter(pk=holder.group_id).exists()
    assert application.status == Status.APPROVED
    assert application.dispute_resolution == "transferred"
    assert application.organisation.is_verified
    assert application.organisation != holder
    assert rival.status == Status.REJECTED


def test_only_staff_resolve_disputes(applicant):
    application = submitted_application(applicant, status=Status.DISPUTED)
    with pytest.raises(DecisionNotAllowed):
        dispute_resolve(
            application=application, by=applicant, transfer=True, reason="x"
        )
