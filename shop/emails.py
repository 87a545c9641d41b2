"""Order emails (HTML + text) in the recipient's language."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from organisations.models import Membership, Organisation

from .models import BuyerNotice, Order, PaymentMethod
from .money import format_vnd


def _send(*, subject: str, template: str, context: dict, to: list[str]) -> None:
    text = render_to_string(f"shop/emails/{template}.txt", context)
    html = render_to_string(f"shop/emails/{template}.html", context)
    message = EmailMultiAlternatives(
        subject=subject, body=text, from_email=settings.DEFAULT_FROM_EMAIL, to=to
    )
    message.attach_alternative(html, "text/html")
    message.send()


def _order_url(order: Order) -> str:
    """The buyer's order page, absolute, in the active language."""
    return settings.SITE_BASE_URL.rstrip("/") + reverse(
        "shop:order_detail", kwargs={"public_id": order.public_id}
    )


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
    return _order_emails_send(
        order=Order.objects.get(pk=order_id),
        buyer_subject=_("Order %(number)s is paid"),
        buyer_template="order_paid_buyer",
        organisation_subject=_("New paid order %(number)s for %(brand)s"),
        organisation_template="order_paid_organisation",
    )


def order_cod_emails_send(*, order_id: int) -> int:
    """A cash-on-delivery order's confirmation to the buyer (what to pay each
    brand's courier) and one notice per organisation to confirm its part."""
    return _order_emails_send(
        order=Order.objects.get(pk=order_id),
        buyer_subject=_("Order %(number)s: pay cash on delivery"),
        buyer_template="order_cod_buyer",
        organisation_subject=_(
            "New cash-on-delivery order %(number)s for %(brand)s: please confirm"
        ),
        organisation_template="order_cod_organisation",
    )


def _order_emails_send(
    *,
    order: Order,
    buyer_subject: Promise,
    buyer_template: str,
    organisation_subject: Promise,
    organisation_template: str,
) -> int:
    fulfilments = list(
        order.fulfilments.select_related("organisation").prefetch_related("lines")
    )
    sent = 0
    # The subjects are lazy: each one is translated inside its message's
    # language override (the buyer's language, the admin's Vietnamese).
    with translation.override(order.language):
        url = _order_url(order)
        _send(
            subject=str(buyer_subject) % {"number": order.number},
            template=buyer_template,
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
                subject=str(organisation_subject)
                % {"number": order.number, "brand": fulfilment.brand_title},
                template=organisation_template,
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


def order_cod_emails_deliver(*, order_id: int) -> int:
    """Send a cash-on-delivery order's emails unless they went out; the count.

    The same at-least-once mark as the paid emails (``paid_emails_sent_at``
    means "the order's emails went out"; a cash order's are sent when it is
    placed, since the buyer pays nothing online).
    """
    if Order.objects.filter(pk=order_id, paid_emails_sent_at__isnull=False).exists():
        return 0
    sent = order_cod_emails_send(order_id=order_id)
    Order.objects.filter(pk=order_id).update(paid_emails_sent_at=timezone.now())
    return sent


NOTICE_SUBJECTS: dict[str, Promise] = {
    BuyerNotice.Kind.SHIPPED: _("%(brand)s has shipped your order %(number)s"),
    BuyerNotice.Kind.DELIVERED: _("%(brand)s: your order %(number)s is delivered"),
    BuyerNotice.Kind.REFUNDED: _(
        "%(brand)s refunded %(amount)s of your order %(number)s"
    ),
}


def buyer_notice_deliver(*, notice_id: int) -> int:
    """Send one notice in the buyer's language unless it went out; the count
    (at least once, as the order emails: the mark is written after sending)."""
    notice = (
        BuyerNotice.objects.select_related("fulfilment__order", "refund")
        .filter(pk=notice_id, sent_at__isnull=True)
        .first()
    )
    if notice is None:
        return 0
    fulfilment = notice.fulfilment
    order = fulfilment.order
    with translation.override(order.language):
        amount = (
            format_vnd(notice.refund.amount, order.language) if notice.refund else ""
        )
        url = _order_url(order)
        _send(
            subject=str(NOTICE_SUBJECTS[notice.kind])
            % {
                "brand": fulfilment.brand_title,
                "number": order.number,
                "amount": amount,
            },
            template=f"part_{notice.kind}_buyer",
            context={
                "order": order,
                "fulfilment": fulfilment,
                "lines": list(fulfilment.lines.all()),
                "refund": notice.refund,
                "refund_amount": amount,
                "is_cod": order.payment_method == PaymentMethod.COD,
                "order_url": url,
            },
            to=[order.email],
        )
    BuyerNotice.objects.filter(pk=notice.pk).update(sent_at=timezone.now())
    return 1
