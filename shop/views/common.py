"""Helpers the shop's views share."""

from __future__ import annotations

from django.http import Http404, JsonResponse
from django.shortcuts import render

from core.language import request_language

from .. import cart as carts
from ..errors import ShopError
from ..models import Order
from ..permissions import order_for_buyer


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
