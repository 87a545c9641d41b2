"""The cart: show it, add to it, change it."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from core.language import request_language

from .. import cart as carts
from ..errors import ShopError
from ..same_origin import same_origin_post
from .common import _back, _error


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
