"""URL views of the brands app: brand themes, stable product links, QR codes and
label sheets. (Page contexts are built by the page models' ``get_context``.)"""

from __future__ import annotations

import io
import uuid

import segno
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET
from wagtail.models import Locale

from core.digits import ascii_int
from core.language import request_language
from core.page_tree import outside_hidden_q
from organisations.selectors import user_is_member, user_is_province_staff

from . import seo
from .models import BrandPage, ProductPage

# --- Brand themes (CSS custom properties, CSP-safe: no inline styles) ---------


@require_GET
@cache_control(max_age=86400, public=True)
def brand_themes_css(request: HttpRequest) -> HttpResponse:
    """One small stylesheet with a ``.theme-<key>`` rule per brand.

    Its URL carries the page-cache generation (``brand_themes_url``), so a
    publish that changes a colour gives a new URL and browsers refetch it.
    """
    rules = []
    seen = set()
    brands = BrandPage.objects.live().only(
        "translation_key", "brand_colour", "accent_colour", "locale_id"
    )
    for brand in brands.order_by("locale_id", "path"):
        if brand.translation_key in seen:
            continue
        seen.add(brand.translation_key)
        theme = seo.theme(brand=brand)
        rules.append(
            f".theme-{brand.translation_key.hex}{{--brand-primary:{theme['primary']};"
            f"--brand-primary-contrast:{theme['primary_contrast']};"
            f"--brand-accent:{theme['accent']}}}"
        )
    return HttpResponse("\n".join(rules) + "\n", content_type="text/css")


# --- Stable product links and QR codes ------------------------------------------


def product_stable_url(key: uuid.UUID) -> str:
    """Absolute, slug-independent link printed in QR codes (default language)."""
    with translation.override(settings.LANGUAGE_CODE):
        path = reverse("brands:product_redirect", args=[key])
    return settings.SITE_BASE_URL.rstrip("/") + path


def _product_for_key(key: uuid.UUID) -> ProductPage:
    language = request_language()
    pages = {
        p.locale.language_code: p
        for p in ProductPage.objects.live()
        .filter(outside_hidden_q())
        .filter(translation_key=key)
        .select_related("locale")
    }
    page = pages.get(language) or pages.get(settings.LANGUAGE_CODE)
    if page is None:
        raise Http404
    return page


@require_GET
def product_redirect(request: HttpRequest, key: uuid.UUID) -> HttpResponse:
    """/p/<translation key>/ -> the product page; survives slug and move changes."""
    page = _product_for_key(key)
    return HttpResponseRedirect(page.get_url(request=request))


def _qr(key: uuid.UUID):
    if not ProductPage.objects.filter(translation_key=key).exists():
        raise Http404
    return segno.make(product_stable_url(key), error="m")


@require_GET
@cache_control(max_age=86400, public=True)
def product_qr_svg(request: HttpRequest, key: uuid.UUID) -> HttpResponse:
    buffer = io.BytesIO()
    _qr(key).save(buffer, kind="svg", scale=4, border=2, xmldecl=False)
    return HttpResponse(buffer.getvalue(), content_type="image/svg+xml")


@require_GET
@cache_control(max_age=86400, public=True)
def product_qr_png(request: HttpRequest, key: uuid.UUID) -> HttpResponse:
    buffer = io.BytesIO()
    _qr(key).save(buffer, kind="png", scale=8, border=2)
    return HttpResponse(buffer.getvalue(), content_type="image/png")


@login_required
@require_GET
def label_sheet(request: HttpRequest, key: uuid.UUID) -> HttpResponse:
    """Printable A4 sheet of QR labels for a brand's products (members only)."""
    brand = (
        BrandPage.objects.filter(translation_key=key, locale=Locale.get_active())
        .select_related("organisation")
        .first()
        or BrandPage.objects.filter(translation_key=key)
        .select_related("organisation")
        .first()
    )
    if brand is None:
        raise Http404
    if not (
        user_is_member(user=request.user, organisation=brand.organisation)
        or user_is_province_staff(user=request.user)
    ):
        raise PermissionDenied
    copies = max(1, min(ascii_int(request.GET.get("copies", "")) or 3, 40))
    products = ProductPage.objects.child_of(brand).order_by("path")
    labels = []
    for product in products:
        qr = segno.make(product_stable_url(product.translation_key), error="m")
        svg = qr.svg_inline(scale=3, border=1)
        labels.extend([{"product": product, "svg": svg}] * copies)
    return render(
        request,
        "brands/label_sheet.html",
        {"brand": brand, "labels": labels, "copies": copies},
    )
