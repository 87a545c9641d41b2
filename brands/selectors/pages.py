"""Reads behind the public brand pages' ``get_context`` (index, catalogue,
brand page, product page)."""

from __future__ import annotations

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Exists, F, OuterRef, Q, QuerySet
from wagtail.models import Locale

from core.page_tree import hidden_subtree_paths, outside_hidden_q
from organisations.models import Commune

from ..models import (
    BrandCertification,
    BrandPage,
    Certification,
    ProductCertification,
    ProductGalleryImage,
    ProductPage,
    ProductVariant,
    TraceabilityRecord,
)
from .listings import (
    brand_cards_queryset,
    localized_live,
    parent_path,
    product_cards_queryset,
    search_text_matching,
    stock_tracking_enabled,
    valid_certificate_q,
)


def brand_communes() -> list[str]:
    """Names of the communes that have a live brand (the index's filter)."""
    return list(
        Commune.objects.filter(
            pk__in=BrandPage.objects.live()
            .filter(outside_hidden_q())
            .values("organisation__commune")
        ).values_list("name", flat=True)
    )


def brand_cards_filtered(
    *, language: str, category: str, certification: str, commune: str, sort: str
) -> QuerySet[BrandPage]:
    """Brand cards of the index; empty filters do not filter."""
    hidden = hidden_subtree_paths()
    brands = brand_cards_queryset(language=language, hidden=hidden)
    if category:
        brands = brands.filter(
            Exists(
                ProductPage.objects.live()
                .filter(outside_hidden_q(hidden=hidden))
                .filter(path__startswith=OuterRef("path"), category=category)
            )
        )
    if certification:
        brands = brands.filter(
            Exists(
                BrandCertification.objects.filter(
                    valid_certificate_q(), page_id=OuterRef("pk"), kind=certification
                )
            )
            | Exists(
                ProductCertification.objects.filter(
                    valid_certificate_q(),
                    outside_hidden_q(hidden=hidden, field="page__path"),
                    page__path__startswith=OuterRef("path"),
                    page__live=True,
                    kind=certification,
                )
            )
        )
    if commune:
        brands = brands.filter(organisation__commune__name=commune)
    order = "-first_published_at" if sort == "newest" else "title"
    return brands.order_by(order, "path")


def catalogue_brand_choices(*, language: str) -> list[tuple[str, str]]:
    """(slug, title) of every live brand, for the catalogue's brand filter."""
    return [
        (brand.slug, brand.title)
        for brand in localized_live(model=BrandPage, language=language)
        .only("slug", "title")
        .order_by("title")
    ]


def _certified(kind: str) -> Q:
    """Pages holding a valid certificate of ``kind`` (own, or their brand's)."""
    own = ProductCertification.objects.filter(
        valid_certificate_q(), page_id=OuterRef("pk"), kind=kind
    )
    brand = BrandCertification.objects.filter(
        valid_certificate_q(), page__path=OuterRef("parent_path"), kind=kind
    )
    return Q(Exists(own)) | Q(Exists(brand))


_PRODUCT_ORDER = {
    "price": ["min_price", "title"],
    "-price": ["-min_price", "title"],
    "newest": ["-first_published_at"],
}


def product_cards_filtered(
    *,
    language: str,
    query: str,
    category: str,
    brand_slug: str,
    min_price: int | None,
    max_price: int | None,
    certification: str,
    in_stock_only: bool,
    sort: str,
) -> QuerySet[ProductPage]:
    """Product cards of the catalogue; empty filters do not filter."""
    products = product_cards_queryset(language=language)
    if query:
        products = search_text_matching(pages=products, query=query)
    if category:
        products = products.filter(category=category)
    if brand_slug:
        brand_paths = BrandPage.objects.filter(slug=brand_slug).values_list(
            "path", flat=True
        )
        products = products.filter(
            Q(*[Q(path__startswith=p) for p in brand_paths], _connector=Q.OR)
            if brand_paths
            else Q(pk__in=[])
        )
    if min_price is not None:
        products = products.filter(min_price__gte=min_price)
    if max_price is not None:
        products = products.filter(min_price__lte=max_price)
    if certification:
        products = products.annotate(parent_path=parent_path(path=F("path"))).filter(
            _certified(certification)
        )
    if in_stock_only:
        products = products.filter(is_in_stock=True)
    return products.order_by(*_PRODUCT_ORDER.get(sort, ["title"]), "path")


def brand_products(*, page: BrandPage, language: str) -> list[ProductPage]:
    """Product cards of a brand page, in tree order."""
    # Untranslated products fall back to Vietnamese (localized_live): on a
    # translated brand page they live under the Vietnamese brand page.
    parents = Q(path__startswith=page.path)
    original = page.get_translation_or_none(Locale.get_default())
    if original is not None and original.pk != page.pk:
        parents |= Q(path__startswith=original.path)
    return list(
        product_cards_queryset(language=language)
        .filter(parents, depth=page.depth + 1)
        .order_by("path")
    )


def certifications_valid(*, page: BrandPage | ProductPage) -> list[Certification]:
    """The page's certificates visitors see (expired ones are hidden)."""
    model = BrandCertification if isinstance(page, BrandPage) else ProductCertification
    return list(
        model.objects.filter(valid_certificate_q(), page=page)
        .select_related("document")
        .order_by("sort_order", "id")
    )


def product_brand(*, page: ProductPage) -> BrandPage:
    """The brand page a product page sits under."""
    return BrandPage.objects.select_related("logo").get(path=page.path[: -page.steplen])


def product_gallery(*, page: ProductPage) -> list[ProductGalleryImage]:
    return list(
        ProductGalleryImage.objects.filter(page=page)
        .select_related("image")
        .prefetch_related("image__renditions")
        .order_by("sort_order", "id")
    )


def product_traceability(*, page: ProductPage) -> list[TraceabilityRecord]:
    return list(
        TraceabilityRecord.objects.filter(page=page).order_by("sort_order", "id")
    )


def variants_availability(*, variants: list[ProductVariant]) -> dict[int, bool]:
    """Whether each variant (by id) can be bought now: in stock unless the shop
    tracks stock and none is available. ``variants`` come from
    ``variants_for_product``, which loads their stock rows."""
    if not stock_tracking_enabled():
        return {variant.pk: True for variant in variants}
    available = {}
    for variant in variants:
        try:
            stock = variant.stock
        except ObjectDoesNotExist:
            available[variant.pk] = False
        else:
            available[variant.pk] = stock.quantity_on_hand > stock.quantity_reserved
    return available
