"""Page contexts and public views of the brands app: thin, reads via selectors."""

from __future__ import annotations

import io
import uuid

import segno
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Exists, F, OuterRef, Q
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET
from wagtail.models import Locale

from core.language import request_language
from organisations.models import Commune
from organisations.selectors import user_is_member, user_is_province_staff

from . import selectors, seo
from .forms import BrandFilterForm, CatalogueFilterForm
from .models import (
    BrandCertification,
    BrandPage,
    ProductCertification,
    ProductGalleryImage,
    ProductPage,
    TraceabilityRecord,
)

CATALOGUE_PAGE_SIZE = 24
BRAND_PAGE_SIZE = 24


def _cert_filter(kind: str) -> Q:
    """Pages holding a valid certificate of ``kind`` (own, or their brand's)."""
    own = ProductCertification.objects.filter(
        selectors.valid_certificate_q(), page_id=OuterRef("pk"), kind=kind
    )
    brand = BrandCertification.objects.filter(
        selectors.valid_certificate_q(), page__path=OuterRef("parent_path"), kind=kind
    )
    return Q(Exists(own)) | Q(Exists(brand))


def brand_index_context(*, page, request) -> dict:
    communes = list(
        Commune.objects.filter(
            pk__in=BrandPage.objects.live().values("organisation__commune")
        ).values_list("name", flat=True)
    )
    form = BrandFilterForm(request.GET or None, communes=communes)
    brands = selectors.brand_cards_queryset(language=request_language())
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        if data["category"]:
            brands = brands.filter(
                Exists(
                    ProductPage.objects.live().filter(
                        path__startswith=OuterRef("path"), category=data["category"]
                    )
                )
            )
        if data["certification"]:
            kind = data["certification"]
            brands = brands.filter(
                Exists(
                    BrandCertification.objects.filter(
                        selectors.valid_certificate_q(),
                        page_id=OuterRef("pk"),
                        kind=kind,
                    )
                )
                | Exists(
                    ProductCertification.objects.filter(
                        selectors.valid_certificate_q(),
                        page__path__startswith=OuterRef("path"),
                        page__live=True,
                        kind=kind,
                    )
                )
            )
        if data["commune"]:
            brands = brands.filter(organisation__commune__name=data["commune"])
        order = "-first_published_at" if data["sort"] == "newest" else "title"
    else:
        order = "title"
    paginator = Paginator(brands.order_by(order, "path"), BRAND_PAGE_SIZE)
    page_obj = paginator.get_page(request.GET.get("page"))
    return {
        "filter_form": form,
        "brands": list(page_obj.object_list),
        "page_obj": page_obj,
        "query_string": _query_without_page(request),
        "breadcrumbs": seo.breadcrumbs(page=page, request=request),
    }


def catalogue_context(*, page, request) -> dict:
    language = request_language()
    brand_choices = [
        (b.slug, b.title)
        for b in selectors.localized_live(BrandPage, language=language)
        .only("slug", "title")
        .order_by("title")
    ]
    form = CatalogueFilterForm(request.GET or None, brands=brand_choices)
    products = selectors.product_cards_queryset(language=language)
    order = ["title"]
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        if data["q"]:
            products = selectors.search_text_matching(products, data["q"])
        if data["category"]:
            products = products.filter(category=data["category"])
        if data["brand"]:
            brand_paths = BrandPage.objects.filter(slug=data["brand"]).values_list(
                "path", flat=True
            )
            products = products.filter(
                Q(*[Q(path__startswith=p) for p in brand_paths], _connector=Q.OR)
                if brand_paths
                else Q(pk__in=[])
            )
        if data["min_price"] is not None:
            products = products.filter(min_price__gte=data["min_price"])
        if data["max_price"] is not None:
            products = products.filter(min_price__lte=data["max_price"])
        if data["certification"]:
            products = products.annotate(
                parent_path=selectors.parent_path(F("path"))
            ).filter(_cert_filter(data["certification"]))
        if data["in_stock"]:
            products = products.filter(is_in_stock=True)
        order = {
            "price": ["min_price", "title"],
            "-price": ["-min_price", "title"],
            "newest": ["-first_published_at"],
        }.get(data["sort"], ["title"])
    paginator = Paginator(products.order_by(*order, "path"), CATALOGUE_PAGE_SIZE)
    page_obj = paginator.get_page(request.GET.get("page"))
    return {
        "filter_form": form,
        "products": list(page_obj.object_list),
        "page_obj": page_obj,
        "query_string": _query_without_page(request),
        "breadcrumbs": seo.breadcrumbs(page=page, request=request),
    }


def _query_without_page(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def brand_page_context(*, page, request) -> dict:
    # Untranslated products fall back to Vietnamese (localized_live): on a
    # translated brand page they live under the Vietnamese brand page.
    parents = Q(path__startswith=page.path)
    original = page.get_translation_or_none(Locale.get_default())
    if original is not None and original.pk != page.pk:
        parents |= Q(path__startswith=original.path)
    products = list(
        selectors.product_cards_queryset(language=request_language())
        .filter(parents, depth=page.depth + 1)
        .order_by("path")
    )
    certifications = list(
        BrandCertification.objects.filter(selectors.valid_certificate_q(), page=page)
        .select_related("document")
        .order_by("sort_order", "id")
    )
    breadcrumbs = seo.breadcrumbs(page=page, request=request)
    return {
        "products": products,
        "certifications": certifications,
        "breadcrumbs": breadcrumbs,
        "og_image": seo.og_image(page.hero_image or page.logo, request),
        "json_ld": [
            seo.organization_ld(page=page, request=request),
            seo.breadcrumb_ld(breadcrumbs),
        ],
    }


def product_page_context(*, page, request) -> dict:
    brand = BrandPage.objects.select_related("logo").get(
        path=page.path[: -page.steplen]
    )
    gallery = list(
        ProductGalleryImage.objects.filter(page=page)
        .select_related("image")
        .prefetch_related("image__renditions")
        .order_by("sort_order", "id")
    )
    certifications = list(
        ProductCertification.objects.filter(selectors.valid_certificate_q(), page=page)
        .select_related("document")
        .order_by("sort_order", "id")
    )
    brand_certifications = list(
        BrandCertification.objects.filter(
            selectors.valid_certificate_q(), page=brand
        ).order_by("sort_order", "id")
    )
    traceability = list(
        TraceabilityRecord.objects.filter(page=page).order_by("sort_order", "id")
    )
    variants = selectors.variants_for_product(page=page)
    breadcrumbs = seo.breadcrumbs(page=page, request=request)
    og_image = seo.og_image(gallery[0].image if gallery else None, request)
    return {
        "brand": brand,
        "gallery": gallery,
        "certifications": certifications,
        "brand_certifications": brand_certifications,
        "traceability": traceability,
        "variants": variants,
        "language": request_language(),
        "breadcrumbs": breadcrumbs,
        "qr_url": reverse("brands:product_qr_svg", args=[page.translation_key]),
        "og_image": og_image,
        "json_ld": [
            seo.product_ld(
                page=page,
                brand=brand,
                gallery=gallery,
                variants=variants,
                certifications=certifications,
                request=request,
            ),
            seo.breadcrumb_ld(breadcrumbs),
        ],
    }


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
        theme = seo.theme(brand)
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
        .public()
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
    try:
        copies = max(1, min(int(request.GET.get("copies", 3)), 40))
    except ValueError:
        copies = 3
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
