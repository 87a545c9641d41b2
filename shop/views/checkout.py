"""Checkout: one form, one service that places the order."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from core.language import request_language

from .. import cart as carts
from .. import limits
from ..errors import ShopError
from ..forms import CheckoutForm
from ..models import Order, SavedAddress
from ..permissions import order_for_buyer
from ..services import orders as order_services
from ..services import payments as payment_services
from .common import _remember_order


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
                    client=limits.buyer_client(request),
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
