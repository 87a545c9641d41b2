"""A signed-in buyer's orders, addresses and profile."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from ..models import Order, SavedAddress
from ..services import orders as order_services


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
