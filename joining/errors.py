"""The joining exception family, the same shape as ``organisations.errors``."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from organisations.errors import OrganisationError


class JoiningError(OrganisationError):
    code = "joining_error"


class EmailNotVerified(JoiningError):
    code = "email_not_verified"
    status = 403
    default_message = _(
        "Confirm your email address first: open the link we sent you, then apply. "
        "You can send the link again from your account's email page."
    )


class TaxCodeClaimed(JoiningError):
    """The tax code is held already; the applicant may file a dispute instead."""

    code = "tax_code_claimed"
    status = 409
    default_message = _(
        "This tax code is already claimed by another organisation. If it is yours, "
        "tick “I dispute this claim”, explain why and attach your registration "
        "document; province staff will decide."
    )


class ApplicationExists(JoiningError):
    code = "application_exists"
    status = 409
    default_message = _("You already have an open application for this tax code.")


class DecisionNotAllowed(JoiningError):
    """Only province staff decide, and only on an application still open."""

    code = "decision_not_allowed"
    status = 403
    default_message = _("Only province staff can decide on applications.")


class DecisionRefused(JoiningError):
    code = "decision_refused"
    status = 409
