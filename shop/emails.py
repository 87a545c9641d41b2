"""Order emails (HTML + text) in the recipient's language."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from organisations.models import Membership, Organisation

from .models import Order


def _send(*, subject: str, template: str, context: dict, to: list[str]) -> None:
    text = render_to_string(f"shop/emails/{template}.txt", context)
    html = render_to_string(f"shop/emails/{template}.html", context)
    message = EmailMultiAlternatives(
        subject=subject, body=text, from_email=settings.DEFAULT_FROM_EMAIL, to=to
    )
    message.attach_alternative(html, "text/html")
    message.send()


def organisation_recipients(*, organisation: Organisation) -> list[str]:
    emails = list(
        Membership.objects.filter(organisation=organisation)
        .order_by("role", "user__email")
        .values_list("user__email", flat=True)
    )
    if organisation.email and organisation.email not in emails:
        emails.insert(0, organisation.email)
    return emails


def order_paid_emails_send(*, order_id: int) -> int:
    """One receipt to the buyer, one notice per organisation; returns the count."""
    order = Order.objects.get(pk=order_id)
    fulfilments = list(
        order.fulfilments.select_related("organisation").prefetch_related("lines")
    )
    sent = 0
    with translation.override(order.language):
        url = settings.SITE_BASE_URL.rstrip("/") + reverse(
            "shop:order_detail", kwargs={"public_id": order.public_id}
        )
        _send(
            subject=_("Order %(number)s is paid") % {"number": order.number},
            template="order_paid_buyer",
            context={"order": order, "fulfilments": fulfilments, "order_url": url},
            to=[order.email],
        )
        sent += 1
    for fulfilment in fulfilments:
        recipients = organisation_recipients(organisation=fulfilment.organisation)
        if not recipients:
            continue
        with translation.override(settings.LANGUAGE_CODE):
            admin_url = settings.SITE_BASE_URL.rstrip("/") + "/admin/shop/orders/"
            _send(
                subject=_("New paid order %(number)s for %(brand)s")
                % {"number": order.number, "brand": fulfilment.brand_title},
                template="order_paid_organisation",
                context={
                    "order": order,
                    "fulfilment": fulfilment,
                    "admin_url": admin_url,
                },
                to=recipients,
            )
            sent += 1
    return sent


def order_paid_emails_deliver(*, order_id: int) -> int:
    """Send a paid order's receipt and brand notices unless they went out; the count.

    At least once, on purpose: the mark is written after sending, so a crash
    in between sends them again rather than never (a cooperative that never
    hears of an order does not ship it; a duplicate notice costs little). A
    copy of the task that starts after the mark sends nothing; two copies
    running at the same moment (reconciliation re-queueing while the first
    is still in the queue) may both send.
    """
    if Order.objects.filter(pk=order_id, paid_emails_sent_at__isnull=False).exists():
        return 0
    sent = order_paid_emails_send(order_id=order_id)
    Order.objects.filter(pk=order_id).update(paid_emails_sent_at=timezone.now())
    return sent
