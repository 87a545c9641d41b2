"""The payment page: the card (Stripe.js, localstripe) or the VietQR transfer."""

from __future__ import annotations

from urllib.parse import urlsplit

import segno
from django.conf import settings
from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from ..errors import OrderNotPayable, ShopError, TransferUnavailable
from ..models import PaymentMethod
from ..services import payments as payment_services
from ..services import transfers
from .common import _order_or_404


@never_cache
def order_pay(request, public_id):
    order = _order_or_404(request, public_id)
    if not order.is_payable or order.payment_method == PaymentMethod.COD:
        # Cash on delivery is paid to the courier: its order page says so.
        return redirect("shop:order_detail", public_id=order.public_id)
    if order.payment_method == PaymentMethod.VIETQR:
        return _pay_by_transfer(request, order)
    if not order.payment_intent_id:
        try:
            order = payment_services.order_payment_start(order=order)
        except ShopError as error:
            messages.warning(request, error.message)
    progress = payment_services.order_payment_progress(order=order)
    order = progress.order
    if not order.is_payable:
        # Stripe says it was paid meanwhile (a late webhook).
        return redirect("shop:order_detail", public_id=order.public_id)
    response = render(
        request,
        "shop/pay.html",
        {
            "order": order,
            "not_paid": progress.not_paid,
            "fulfilments": order.fulfilments.prefetch_related("lines"),
            "stripe_js_url": settings.STRIPE_JS_URL,
            "publishable_key": settings.STRIPE_PUBLISHABLE_KEY or "",
        },
    )
    # Stripe.js (or localstripe's fake) is allowed on this page only.
    response._csp_update = _stripe_csp()
    return response


def _pay_by_transfer(request, order):
    """The VietQR code for the exact amount and reference, and the same as text
    (bank, account, holder, amount, reference) for typing or copying."""
    try:
        instructions = transfers.vietqr_instructions(order=order)
    except OrderNotPayable:
        return redirect("shop:order_detail", public_id=order.public_id)
    except TransferUnavailable as error:
        return render(
            request,
            "shop/pay_transfer.html",
            {
                "order": order,
                "error": error.message,
                "fulfilments": order.fulfilments.prefetch_related("lines"),
            },
            status=error.status,
        )
    # segno writes the SVG itself from the payload (digits and ASCII, made by
    # shop.payments.vietqr): nothing of the buyer's reaches this markup.
    svg = segno.make(instructions.payload, error="m").svg_inline(
        scale=6, border=4, dark="#000", light="#fff"
    )
    return render(
        request,
        "shop/pay_transfer.html",
        {
            "order": order,
            "transfer": instructions,
            "qr_svg": mark_safe(svg),  # noqa: S308 - generated markup, see above
            "fulfilments": order.fulfilments.prefetch_related("lines"),
        },
    )


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def _stripe_csp() -> dict:
    """What Stripe.js needs: its script, its frames (3-D Secure) and its API.

    Built per response from the current settings, so a test or deployment that
    changes STRIPE_JS_URL / STRIPE_API_BASE gets the matching policy."""
    js = _origin(settings.STRIPE_JS_URL)
    api = _origin(settings.STRIPE_API_BASE or "https://api.stripe.com")
    return {
        "script-src": [js],
        "frame-src": [js, "https://hooks.stripe.com"],
        "connect-src": [api, js],
    }


@require_POST
def order_pay_card(request, public_id):
    """The browser posts the tokenised card; the answer says what JS does next."""
    order = _order_or_404(request, public_id)
    card_id = request.POST.get("card", "")
    if not (
        card_id.startswith("card_") and 5 < len(card_id) < 255 and card_id.isascii()
    ):
        return JsonResponse(
            {"error": "bad_card", "message": _("The card details could not be read.")},
            status=400,
        )
    try:
        intent = payment_services.order_pay_with_card(order=order, card_id=card_id)
    except ShopError as error:
        return JsonResponse(
            {"error": error.code, "message": str(error.message)}, status=error.status
        )
    # The payment may have moved to a fresh PaymentIntent (a refused retry).
    order.refresh_from_db()
    return JsonResponse(
        {
            "status": intent.status,
            "client_secret": order.payment_client_secret
            if intent.status == "requires_action"
            else "",
            "next": reverse("shop:order_detail", kwargs={"public_id": order.public_id}),
        }
    )
