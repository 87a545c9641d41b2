"""The decision email (HTML + text), in the applicant's language."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from brands.models import BrandPage

from .models import OrganisationApplication


def _landing(application: OrganisationApplication) -> str:
    """The owner's own draft brand page in the admin (the dashboard otherwise)."""
    page = (
        BrandPage.objects.filter(organisation_id=application.organisation_id)
        .order_by("pk")
        .first()
        if application.organisation_id
        else None
    )
    if page is None:
        return reverse("wagtailadmin_home")
    return reverse("wagtailadmin_pages:edit", args=[page.pk])


def application_decision_email_send(*, application: OrganisationApplication) -> None:
    if not application.applicant.email:
        return
    with translation.override(application.language or settings.LANGUAGE_CODE):
        base = settings.SITE_BASE_URL.rstrip("/")
        context = {
            "application": application,
            "status_url": base
            + reverse(
                "joining:application", kwargs={"public_id": application.public_id}
            ),
            "admin_url": base + _landing(application),
        }
        if application.status == OrganisationApplication.Status.APPROVED:
            subject = _("Your organisation %(name)s is approved") % {
                "name": application.legal_name
            }
        else:
            subject = _("Your application for %(name)s was not approved") % {
                "name": application.legal_name
            }
        text = render_to_string("joining/emails/decision.txt", context)
        html = render_to_string("joining/emails/decision.html", context)
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[application.applicant.email],
    )
    message.attach_alternative(html, "text/html")
    message.send()
