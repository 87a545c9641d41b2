"""Shop views: parse input, call one service, render or redirect."""

from __future__ import annotations

import uuid
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from core.language import request_language

from . import cart as carts
from .errors import ShopError
from .forms import CheckoutForm
from .models import Order, PaymentStatus, SavedAddress
from .payments import gateway, webhooks
from .permissions import order_for_buyer
from .same_origin import same_origin_post
from .services import orders as order_services
from .services import payments as payment_services


def _back(request, default: str) -> str:
    target = request.POST.get("next") or ""
    if target.startswith("/") and not target.startswith("//"):
        return target
    return default


def _error(request, error: ShopError):
    """A failed cart change: the cart page again, with the reason and a 4xx."""
    if request.headers.get("Accept", "").startswith("application/json"):
        return JsonResponse(
            {"error": error.code, "message": str(error.message)}, status=error.status
        )
    summary = carts.cart_summary(
        lines=carts.cart_lines(cart=carts.cart_for_request(request)),
        language=request_language(),
    )
    return render(
        request,
        "shop/cart.html",
        {"summary": summary, "error": error.message},
        status=error.status,
    )


# --- Cart -----------------------------------------------------------------------


@never_cache
@require_GET
def cart_detail(request):
    cart = carts.cart_for_request(request)
    summary = carts.cart_summary(
        lines=carts.cart_lines(cart=cart), language=request_language()
    )
    return render(request, "shop/cart.html", {"summary": summary})


# Posted from cached pages, which carry no CSRF token: see shop.same_origin.
@same_origin_post
@require_POST
def cart_add(request):
    cart_url = reverse("shop:cart")
    try:
        public_id = carts.parse_public_id(request.POST.get("variant"))
        quantity = carts.parse_quantity(request.POST.get("quantity", "1"))
        cart = carts.cart_for_request(request, create=True)
        carts.cart_add(
            cart=cart,
            variant_public_id=public_id,
            quantity=quantity,
            language=request_language(),
        )
    except ShopError as error:
        return _error(request, error)
    messages.success(request, _("Added to your cart."))
    return redirect(_back(request, cart_url))


@require_POST
def cart_update(request):
    cart_url = reverse("shop:cart")
    cart = carts.cart_for_request(request)
    if cart is None:
        raise Http404
    try:
        public_id = carts.parse_public_id(request.POST.get("variant"))
        raw = request.POST.get("quantity", "")
        quantity = 0 if str(raw).strip() == "0" else carts.parse_quantity(raw)
        if request.POST.get("remove"):
            quantity = 0
        carts.cart_set_quantity(
            cart=cart,
            variant_public_id=public_id,
            quantity=quantity,
            language=request_language(),
        )
    except ShopError as error:
        return _error(request, error)
    messages.success(request, _("Your cart is updated."))
    return redirect(cart_url)


# --- Checkout -------------------------------------------------------------------


def _checkout_initial(request) -> dict:
    initial = {"checkout_token": uuid.uuid4(), "province": "An Giang"}
    user = request.user
    if user.is_authenticated:
        initial["email"] = user.email
        name = user.get_full_name() if hasattr(user, "get_full_name") else ""
        if name:
            initial["recipient_name"] = name
        last = Order.objects.filter(user=user).order_by("-created_at").first()
        if last:
            initial["phone"] = last.phone
    return initial


@never_cache
def checkout(request):
    cart = carts.cart_for_request(request)
    summary = carts.cart_summary(
        lines=carts.cart_lines(cart=cart), language=request_language()
    )
    if summary.is_empty and request.method != "POST":
        messages.info(request, _("Your cart is empty."))
        return redirect("shop:cart")
    addresses = (
        list(SavedAddress.objects.filter(user=request.user))
        if request.user.is_authenticated
        else []
    )
    form_kwargs = {
        "addresses": addresses,
        "can_save_address": request.user.is_authenticated,
    }
    status = 200
    error_message = None
    if request.method == "POST":
        form = CheckoutForm(request.POST, **form_kwargs)
        if form.is_valid():
            data = form.cleaned_data
            details = order_services.CheckoutDetails(
                email=data["email"],
                phone=data["phone"],
                recipient_name=data["recipient_name"],
                recipient_phone=data["recipient_phone"],
                province=data["province"],
                commune=data["commune"],
                street=data["street"],
                notes=data["notes"],
                save_address=bool(data.get("save_address")),
            )
            if cart is None:
                # No cart to order from: either a resubmit of a form whose
                # order exists (show that order) or a stale form; never make
                # an empty Cart row for it.
                return _checkout_without_cart(request, data["checkout_token"])
            try:
                order = order_services.order_place(
                    cart=cart,
                    checkout_token=data["checkout_token"],
                    details=details,
                    user=request.user,
                    language=request_language(),
                    expected_total=data["expected_total"],
                )
            except ShopError as error:
                error_message = error.message
                status = error.status
                summary = carts.cart_summary(
                    lines=carts.cart_lines(cart=cart), language=request_language()
                )
                form = CheckoutForm(
                    initial={**request.POST.dict(), "checkout_token": uuid.uuid4()},
                    **form_kwargs,
                )
            else:
                _remember_order(request, order)
                try:
                    payment_services.order_payment_start(order=order)
                except ShopError as error:
                    messages.warning(request, error.message)
                return redirect("shop:order_pay", public_id=order.public_id)
        else:
            status = 400
    elif request.method == "GET":
        form = CheckoutForm(initial=_checkout_initial(request), **form_kwargs)
    else:
        return HttpResponse(status=405)
    return render(
        request,
        "shop/checkout.html",
        {
            "form": form,
            "summary": summary,
            "error": error_message,
            "addresses": addresses,
        },
        status=status,
    )


def _checkout_without_cart(request, checkout_token):
    placed = Order.objects.filter(checkout_token=checkout_token).first()
    if placed is not None and order_for_buyer(
        user=request.user, public_id=placed.public_id
    ):
        return redirect("shop:order_pay", public_id=placed.public_id)
    messages.info(request, _("Your cart is empty."))
    return redirect("shop:cart")


def _remember_order(request, order: Order) -> None:
    """Guests keep their recent orders' links in the session (and the email)."""
    recent = [
        value
        for value in request.session.get("shop_orders", [])
        if value != str(order.public_id)
    ]
    request.session["shop_orders"] = [str(order.public_id), *recent][:10]


# --- Orders and payment -----------------------------------------------------------


def _order_or_404(request, public_id) -> Order:
    order = order_for_buyer(user=request.user, public_id=public_id)
    if order is None:
        raise Http404
    return order


@never_cache
def order_pay(request, public_id):
    order = _order_or_404(request, public_id)
    if not order.is_payable:
        return redirect("shop:order_detail", public_id=order.public_id)
    if not order.payment_intent_id:
        try:
            order = payment_services.order_payment_start(order=order)
        except ShopError as error:
            messages.warning(request, error.message)
    response = render(
        request,
        "shop/pay.html",
        {
            "order": order,
            "fulfilments": order.fulfilments.prefetch_related("lines"),
            "stripe_js_url": settings.STRIPE_JS_URL,
            "publishable_key": settings.STRIPE_PUBLISHABLE_KEY or "",
        },
    )
    # Stripe.js (or localstripe's fake) is allowed on this page only.
    response._csp_update = _stripe_csp()
    return response


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
    return JsonResponse(
        {
            "status": intent.status,
            "client_secret": order.payment_client_secret
            if intent.status == "requires_action"
            else "",
            "next": reverse("shop:order_detail", kwargs={"public_id": order.public_id}),
        }
    )


@never_cache
@require_GET
def order_detail(request, public_id):
    order = _order_or_404(request, public_id)
    return render(
        request,
        "shop/order_detail.html",
        {
            "order": order,
            "fulfilments": order.fulfilments.prefetch_related("lines"),
            "is_processing": order.payment_status == PaymentStatus.PENDING
            and bool(order.payment_intent_id),
        },
    )


@never_cache
@require_GET
def order_status(request, public_id):
    order = _order_or_404(request, public_id)
    return JsonResponse(
        {
            "payment_status": order.payment_status,
            "label": str(order.get_payment_status_display()),
            "is_paid": order.is_paid,
        }
    )


# --- Account --------------------------------------------------------------------


@login_required
@require_GET
def account_orders(request):
    orders = Order.objects.filter(user=request.user).prefetch_related("fulfilments")
    return render(request, "shop/account_orders.html", {"orders": orders})


@login_required
def account_addresses(request):
    if request.method == "POST":
        try:
            public_id = uuid.UUID(request.POST.get("address", ""))
        except ValueError:
            return HttpResponseBadRequest(_("Unknown address."))
        if not order_services.address_delete(user=request.user, public_id=public_id):
            raise Http404
        messages.success(request, _("The address is deleted."))
        return redirect("shop:account_addresses")
    addresses = SavedAddress.objects.filter(user=request.user)
    return render(request, "shop/account_addresses.html", {"addresses": addresses})


@login_required
@require_GET
def account_profile(request):
    return render(
        request,
        "shop/account_profile.html",
        {
            "order_count": Order.objects.filter(user=request.user).count(),
            "address_count": SavedAddress.objects.filter(user=request.user).count(),
        },
    )


# --- Stripe webhook (outside the language prefix) ---------------------------------


@csrf_exempt
@require_POST
def stripe_webhook(request):
    try:
        result = webhooks.webhook_process(
            payload=request.body,
            signature_header=request.headers.get("Stripe-Signature"),
        )
    except gateway.WebhookSignatureError:
        return HttpResponseBadRequest("invalid signature")
    except webhooks.MalformedWebhookEvent:
        return HttpResponseBadRequest("malformed event")
    except gateway.PaymentConfigurationError:
        # 503, not 400: Stripe keeps retrying until the secret is configured.
        return HttpResponse("webhook secret not configured", status=503)
    return HttpResponse(result, content_type="text/plain")
