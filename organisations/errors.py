"""The organisations' exception family, the same shape as ``shop.errors``.

Each error has a stable ``code``, the HTTP ``status`` a view would answer with
and a ``message`` for the user (translated, lazily).

``organisations.sizing`` stays apart: it is pure (no Django, so no
translation) and raises ``ValueError`` on figures no real firm reports.
"""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class OrganisationError(Exception):
    code = "organisation_error"
    status = 400
    default_message = _("Something in your request could not be processed.")

    def __init__(self, message: str | Promise | None = None) -> None:
        self.message = message or self.default_message
        super().__init__(str(self.message))


class OrganisationNotOnboarded(OrganisationError):
    """Page permissions need the group that ``organisation_onboard`` creates."""

    code = "not_onboarded"
    status = 409
    default_message = _("Onboard the organisation before granting page permissions.")


class OrganisationNotVerified(OrganisationError):
    """Admin access, uploads and page rights wait for province staff to verify."""

    code = "not_verified"
    status = 409
    default_message = _(
        "Province staff have not verified this organisation yet: it gets admin "
        "access, uploads and its brand page once they have."
    )


class TaxCodeAlreadyVerified(OrganisationError):
    """Another organisation holds this tax code as verified: a dispute, not a retry."""

    code = "tax_code_already_verified"
    status = 409
    default_message = _(
        "A verified organisation already has this tax code. If it is yours, "
        "file a dispute with your registration document; province staff decide."
    )


class MembersNotAllowed(OrganisationError):
    """Only an owner of a verified organisation manages its members."""

    code = "members_not_allowed"
    status = 403
    default_message = _(
        "Only an owner of a verified organisation can manage its members."
    )


class InvitationRefused(OrganisationError):
    """An invitation that cannot be created as asked."""

    code = "invitation_refused"
    status = 400


class InvitationInvalid(OrganisationError):
    """An invitation token that is unknown, expired, revoked or used."""

    code = "invitation_invalid"
    status = 410
    default_message = _("This invitation link is not valid.")


class InvitationNotSent(OrganisationError):
    """The mail relay refused or could not be reached: nothing was kept."""

    code = "invitation_not_sent"
    status = 503
    default_message = _(
        "The invitation email could not be sent, so no invitation was kept. "
        "Try again in a few minutes."
    )


class MemberChangeRefused(OrganisationError):
    """A remove or transfer that would leave the organisation wrong."""

    code = "member_change_refused"
    status = 409
