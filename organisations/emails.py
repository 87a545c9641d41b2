"""The invitation email (HTML + text), in the inviter's language."""

from __future__ import annotations

import smtplib

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from .errors import InvitationNotSent
from .members import IssuedInvitation


def invitation_email_send(*, issued: IssuedInvitation) -> None:
    invitation = issued.invitation
    with translation.override(invitation.language or settings.LANGUAGE_CODE):
        url = settings.SITE_BASE_URL.rstrip("/") + reverse(
            "organisation_invitations:accept", kwargs={"token": issued.token}
        )
        context = {
            "invitation": invitation,
            "organisation": invitation.organisation,
            "accept_url": url,
            "inviter": invitation.invited_by,
        }
        subject = _("You are invited to join %(organisation)s") % {
            "organisation": invitation.organisation.display_name
        }
        text = render_to_string("organisations/emails/invitation.txt", context)
        html = render_to_string("organisations/emails/invitation.html", context)
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[invitation.email],
    )
    message.attach_alternative(html, "text/html")
    try:
        message.send()
    except (smtplib.SMTPException, OSError) as error:
        # The caller's transaction rolls the invitation back; the owner is
        # told to retry instead of seeing a server error.
        raise InvitationNotSent() from error
