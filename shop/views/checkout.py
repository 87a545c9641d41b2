"""Checkout: one form, one service that places the order."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django_countries import countries

from core.language import request_language

from .. import cart as carts
from .. import limits
from ..addresses import DEFAULT_PROVINCE, HOME_COUNTRY, commune_names
from ..forms import CheckoutForm
from ..models import Order, PaymentMethod, SavedAddress
from ..payments.methods import methods_enabled
from ..permissions import order_for_buyer
from ..services import checkout as checkout_services
from ..services import orders as order_services
from .common import _remember_order


def _checkout_initial(request) -> dict:
    initial = {
        "checkout_token": uuid.uuid4(),
        "country": HOME_COUNTRY,
        "province": DEFAULT_PROVINCE,
    }
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


def _details(data: dict) -> order_services.CheckoutDetails:
    return order_services.CheckoutDetails(
        email=data["email"],
        phone=data["phone"],
        recipient_name=data["recipient_name"],
        recipient_phone=data["recipient_phone"],
        province=data["province"],
        commune=data["commune"],
        street=data["street"],
        notes=data["notes"],
        save_address=bool(data.get("save_address")),
        country=data["country"],
        address_line2=data["address_line2"],
        city=data["city"],
        region=data["region"],
        postal_code=data["postal_code"],
        priced_for=data["priced_for"],
    )


def _posted_country(form: CheckoutForm) -> str:
    """The country of a form to correct, if it names a real one."""
    value = form.data.get("country", "")
    return value if value in countries else HOME_COUNTRY


@never_cache
def checkout(request):
    if request.method not in ("GET", "POST"):
        return HttpResponse(status=405)
    cart = carts.cart_for_request(request)
    language = request_language()
    addresses = (
        list(SavedAddress.objects.filter(user=request.user))
        if request.user.is_authenticated
        else []
    )
    form_kwargs = {
        "addresses": addresses,
        "can_save_address": request.user.is_authenticated,
        "payment_methods": methods_enabled(),
    }
    if request.method == "GET":
        quote = checkout_services.checkout_quote(cart=cart, language=language)
        if quote.summary.is_empty:
            messages.info(request, _("Your cart is empty."))
            return redirect("shop:cart")
        initial = {
            **_checkout_initial(request),
            "payment_method": quote.default_method,
        }
        form = CheckoutForm(initial=initial, **form_kwargs)
        return _page(request, form=form, quote=quote, addresses=addresses)
    form = CheckoutForm(request.POST, **form_kwargs)
    if not form.is_valid():
        quote = checkout_services.checkout_quote(
            cart=cart, language=language, destination=_posted_country(form)
        )
        return _page(request, form=form, quote=quote, addresses=addresses, status=400)
    data = form.cleaned_data
    if cart is None:
        # No cart to order from: either a resubmit of a form whose order
        # exists (show that order) or a stale form; never make an empty Cart
        # row for it.
        return _checkout_without_cart(request, data["checkout_token"])
    result = checkout_services.checkout_submit(
        cart=cart,
        checkout_token=data["checkout_token"],
        details=_details(data),
        payment_method=data["payment_method"],
        user=request.user,
        language=language,
        expected_total=data["expected_total"],
        client=limits.buyer_client(request),
    )
    if result.order is None:
        assert result.error is not None and result.quote is not None  # noqa: S101
        posted = request.POST.dict()
        if not any(
            choice.method == posted.get("payment_method") and choice.is_available
            for choice in result.quote.choices
        ):
            posted["payment_method"] = result.quote.default_method
        form = CheckoutForm(
            initial={**posted, "checkout_token": uuid.uuid4()}, **form_kwargs
        )
        return _page(
            request,
            form=form,
            quote=result.quote,
            addresses=addresses,
            error=result.error.message,
            status=result.error.status,
        )
    _remember_order(request, result.order)
    if result.warning:
        messages.warning(request, result.warning)
    return _after_placing(result.order)


@require_GET
def commune_list(request):
    """The communes of one province, for the checkout's suggestions when the
    buyer picks another province (the page itself lists its own)."""
    names = commune_names(request.GET.get("province", ""))
    if not names:
        raise Http404
    response = JsonResponse({"communes": list(names)})
    # The same for everyone until the list changes with a release.
    patch_cache_control(response, public=True, max_age=86_400)
    return response


def _page(request, *, form, quote, addresses, error=None, status=200):
    return render(
        request,
        "shop/checkout.html",
        {
            "form": form,
            "summary": quote.summary,
            "choices": quote.choices,
            "checked_method": form["payment_method"].value(),
            "error": error,
            "addresses": addresses,
            # Suggestions for the commune field: the chosen province's list.
            "commune_names": commune_names(
                form["province"].value() or DEFAULT_PROVINCE
            ),
        },
        status=status,
    )


def _after_placing(order: Order):
    """Cash on delivery has nothing to pay now: its confirmation is the order
    page. Card and bank transfer go to the payment page."""
    if order.payment_method == PaymentMethod.COD:
        return redirect("shop:order_detail", public_id=order.public_id)
    return redirect("shop:order_pay", public_id=order.public_id)


def _checkout_without_cart(request, checkout_token):
    placed = Order.objects.filter(checkout_token=checkout_token).first()
    if placed is not None and order_for_buyer(
        user=request.user, public_id=placed.public_id
    ):
        return _after_placing(placed)
    messages.info(request, _("Your cart is empty."))
    return redirect("shop:cart")
