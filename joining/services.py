"""Joining: apply, decide, resolve disputes, and provision an approved organisation.

Every decision is province staff's (superusers included), checked here and
not only in the views. ``application_approve`` is the one place an
organisation gets everything it needs to work (verification, group,
collection, brand page, page permissions, shipping defaults, its owner), in
one transaction: a failure half-way leaves nothing behind.
"""

from __future__ import annotations

from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AbstractUser, AnonymousUser
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assessment.services.totals import organisation_totals_sync
from brands.models import BrandPage
from brands.starter import brand_page_starter_ensure
from organisations.models import Membership, Organisation
from organisations.selectors import user_is_province_staff
from organisations.services import (
    membership_add,
    organisation_grant_page_permissions,
    organisation_mark_unverified,
    organisation_mark_verified,
    organisation_onboard,
)
from shop.services.shipping import shipping_policy_defaults_ensure

from .errors import (
    ApplicationExists,
    DecisionNotAllowed,
    DecisionRefused,
    EmailNotVerified,
    JoiningError,
    TaxCodeClaimed,
)
from .models import OrganisationApplication

Status = OrganisationApplication.Status


@dataclass(frozen=True)
class Provisioning:
    application: OrganisationApplication
    organisation: Organisation
    brand_page: BrandPage


def user_email_verified(*, user: AbstractBaseUser | AnonymousUser) -> bool:
    """Has ``user`` confirmed an email address through allauth?"""
    if not getattr(user, "is_authenticated", False):
        return False
    return EmailAddress.objects.filter(user=user, verified=True).exists()


def tax_code_claims(
    *, tax_code: str, exclude: OrganisationApplication | None = None
) -> tuple[list[Organisation], list[OrganisationApplication]]:
    """Who else claims ``tax_code``: verified organisations and open applications."""
    organisations = list(Organisation.objects.verified().filter(tax_code=tax_code))
    applications = OrganisationApplication.objects.open().filter(tax_code=tax_code)
    if exclude is not None:
        applications = applications.exclude(pk=exclude.pk)
    return organisations, list(applications.select_related("applicant"))


def _require_staff(user: AbstractBaseUser | AnonymousUser) -> None:
    if not user_is_province_staff(user=user):
        raise DecisionNotAllowed()


def _locked(application: OrganisationApplication) -> OrganisationApplication:
    return OrganisationApplication.objects.select_for_update().get(pk=application.pk)


@transaction.atomic
def application_submit(
    *,
    applicant: AbstractUser,
    application: OrganisationApplication,
    dispute: bool = False,
    language: str = "",
) -> OrganisationApplication:
    """Save a validated (unsaved) application for ``applicant``.

    When the tax code is held already (a verified organisation, or another
    person's open application) the applicant is not refused silently: without
    ``dispute`` this raises ``TaxCodeClaimed``, which tells them how to
    dispute; with it, the application is saved as disputed, for staff.
    """
    if not user_email_verified(user=applicant):
        raise EmailNotVerified()
    tax_code = application.tax_code
    if (
        OrganisationApplication.objects.open()
        .filter(applicant=applicant, tax_code=tax_code)
        .exists()
    ):
        raise ApplicationExists()
    if Membership.objects.filter(
        user=applicant,
        organisation__tax_code=tax_code,
        organisation__verified_at__isnull=False,
    ).exists():
        raise ApplicationExists(
            _(
                "You are already a member of the verified organisation with this tax code."
            )
        )
    organisations, applications = tax_code_claims(tax_code=tax_code)
    held = bool(organisations or applications)
    if held and not dispute:
        raise TaxCodeClaimed()
    if held and not application.dispute_statement.strip():
        raise JoiningError(
            _("Explain why this tax code is yours, so province staff can decide.")
        )
    if not held:
        application.dispute_statement = ""
    application.applicant = applicant
    application.language = language
    application.status = Status.DISPUTED if held else Status.SUBMITTED
    application.save()
    return application


def _provision(
    application: OrganisationApplication, *, by: AbstractUser
) -> Provisioning:
    organisation = application.organisation
    if organisation is None:
        organisation = Organisation.objects.create(
            kind=application.kind,
            legal_name=application.legal_name,
            trading_name=application.trading_name,
            tax_code=application.tax_code,
            commune=application.commune,
            address=application.address,
            sector=application.sector,
            employees=application.employees,
            annual_revenue=application.annual_revenue,
            total_capital=application.total_capital,
            contact_name=application.contact_name,
            email=application.applicant.email,
            phone=application.phone,
        )
    # Verified first: onboarding and everything after it refuse (or would
    # count) an organisation nobody checked. Raises TaxCodeAlreadyVerified
    # when another organisation holds the code: a dispute, not a retry.
    organisation = organisation_mark_verified(organisation=organisation, by=by)

    # Its submitted assessments now count in the province's figures.
    organisation_totals_sync(organisation=organisation)

    onboarding = organisation_onboard(organisation=organisation)
    organisation = onboarding.organisation
    page = brand_page_starter_ensure(organisation=organisation)
    organisation_grant_page_permissions(organisation=organisation, page=page)
    shipping_policy_defaults_ensure(organisation_id=organisation.pk)
    membership_add(
        organisation=organisation,
        user=application.applicant,
        role=Membership.Role.OWNER,
    )
    if application.status != Status.APPROVED:
        application.status = Status.APPROVED
        application.decided_at = timezone.now()
        application.decided_by = by
    application.organisation = organisation
    application.save()
    return Provisioning(
        application=application, organisation=organisation, brand_page=page
    )


@transaction.atomic
def application_approve(
    *, application: OrganisationApplication, by: AbstractUser
) -> Provisioning:
    """Approve a submitted application and provision its organisation.

    Idempotent: approving an approved application again repairs what is
    missing and creates nothing twice. A disputed application is decided
    through ``dispute_resolve``.
    """
    _require_staff(by)
    application = _locked(application)
    if application.status == Status.APPROVED:
        return _provision(application, by=by)
    if application.status != Status.SUBMITTED:
        raise DecisionRefused(
            _("Only a submitted application can be approved; decide a dispute instead.")
            if application.status == Status.DISPUTED
            else _("This application has been decided already.")
        )
    return _provision(application, by=by)


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise JoiningError(_("Give the applicant a reason."))
    if len(reason) > 2000:
        raise JoiningError(_("The reason is too long (2,000 characters at most)."))
    return reason


@transaction.atomic
def application_reject(
    *, application: OrganisationApplication, by: AbstractUser, reason: str
) -> OrganisationApplication:
    """Reject an open application with a reason the applicant reads."""
    _require_staff(by)
    reason = _reason(reason)
    application = _locked(application)
    if application.status != Status.SUBMITTED:
        raise DecisionRefused(
            _("Only a submitted application can be rejected; decide a dispute instead.")
            if application.status == Status.DISPUTED
            else _("This application has been decided already.")
        )
    application.status = Status.REJECTED
    application.decision_reason = reason
    application.decided_at = timezone.now()
    application.decided_by = by
    application.save()
    return application


@transaction.atomic
def dispute_resolve(
    *,
    application: OrganisationApplication,
    by: AbstractUser,
    transfer: bool,
    reason: str,
) -> list[OrganisationApplication]:
    """Decide a disputed application; returns every application decided.

    - Uphold (``transfer=False``): the holder keeps the tax code; the
      claimant's application is rejected with the reason.
    - Transfer: the verified holder is un-verified (its people leave its
      admin group), other open applications on the code are rejected, and the
      claimant's organisation is verified and provisioned as on approval.
    """
    _require_staff(by)
    reason = _reason(reason)
    application = _locked(application)
    if application.status != Status.DISPUTED:
        raise DecisionRefused(_("This application is not in dispute."))
    now = timezone.now()
    application.decision_reason = reason
    if not transfer:
        application.status = Status.REJECTED
        application.dispute_resolution = (
            OrganisationApplication.DisputeResolution.HOLDER_UPHELD
        )
        application.decided_at = now
        application.decided_by = by
        application.save()
        return [application]
    organisations, others = tax_code_claims(
        tax_code=application.tax_code, exclude=application
    )
    for organisation in organisations:
        organisation_mark_unverified(organisation=organisation)
        # ... and the former holder's no longer do.
        organisation_totals_sync(organisation=organisation)
    decided = [application]
    for other in others:
        other = _locked(other)
        other.status = Status.REJECTED
        other.dispute_resolution = OrganisationApplication.DisputeResolution.TRANSFERRED
        other.decision_reason = reason
        other.decided_at = now
        other.decided_by = by
        other.save()
        decided.append(other)
    application.dispute_resolution = (
        OrganisationApplication.DisputeResolution.TRANSFERRED
    )
    application.status = Status.APPROVED
    application.decided_at = now
    application.decided_by = by
    _provision(application, by=by)
    return decided
