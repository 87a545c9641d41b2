"""An order's page and its status, for the buyer who placed it."""

from __future__ import annotations

from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from ..services import payments as payment_services
from .common import _order_or_404


@never_cache
@require_GET
def order_detail(request, public_id):
    progress = payment_services.order_payment_progress(
        order=_order_or_404(request, public_id)
    )
    order = progress.order
    return render(
        request,
        "shop/order_detail.html",
        {
            "order": order,
            "fulfilments": order.fulfilments.prefetch_related("lines"),
            "is_processing": progress.processing,
            "not_paid": progress.not_paid,
        },
    )


@never_cache
@require_GET
def order_status(request, public_id):
    progress = payment_services.order_payment_progress(
        order=_order_or_404(request, public_id)
    )
    order = progress.order
    return JsonResponse(
        {
            "payment_status": order.payment_status,
            # False tells the order page to stop waiting and show the outcome.
            "processing": progress.processing,
            "label": str(order.get_payment_status_display()),
            "is_paid": order.is_paid,
        }
    )


# --- Account --------------------------------------------------------------------
