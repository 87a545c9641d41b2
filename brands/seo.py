"""Search-engine metadata of brand and product pages: JSON-LD, Open Graph, theme.

Pure presentation of what the caller read: this module queries nothing itself.
"""

from __future__ import annotations

from django.utils.html import strip_tags

from core.renditions import slot_spec


def breadcrumbs(*, page, request) -> list[dict]:
    """Home -> ... -> page, in the page's language (ancestors of one tree)."""
    ancestors = list(page.get_ancestors().filter(depth__gt=1))
    trail = [*ancestors, page]
    return [
        {
            "title": p.title,
            "url": request.build_absolute_uri(p.get_url(request=request)),
        }
        for p in trail
    ]


def breadcrumb_ld(*, trail: list[dict]) -> dict:
    return {
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": [
            {
                "@type": "ListItem",
                "position": i,
                "name": item["title"],
                "item": item["url"],
            }
            for i, item in enumerate(trail, start=1)
        ],
    }


def _rendition_url(image, spec: str, request) -> str | None:
    if image is None:
        return None
    return request.build_absolute_uri(image.get_rendition(spec).url)


def og_image(*, image, request) -> dict | None:
    if image is None:
        return None
    rendition = image.get_rendition(slot_spec("og_image"))
    return {
        "url": request.build_absolute_uri(rendition.url),
        "width": rendition.width,
        "height": rendition.height,
    }


def organization_ld(*, page, request) -> dict:
    same_as = [
        url
        for url in (
            page.website_url,
            page.facebook_url,
            page.zalo_url,
            page.shopee_url,
            page.lazada_url,
            page.tiktok_shop_url,
        )
        if url
    ]
    data = {
        "@context": "https://schema.org",
        "@type": "Organization",
        "name": page.title,
        "legalName": page.organisation.legal_name,
        "url": request.build_absolute_uri(page.get_url(request=request)),
        "description": page.tagline,
        "address": {
            "@type": "PostalAddress",
            "streetAddress": page.address,
            "addressRegion": "An Giang",
            "addressCountry": "VN",
        },
    }
    logo = _rendition_url(page.logo, slot_spec("logo_ld"), request)
    if logo:
        data["logo"] = logo
    if page.phone:
        data["telephone"] = page.phone
    if page.email:
        data["email"] = page.email
    if same_as:
        data["sameAs"] = same_as
    return data


_IN_STOCK = "https://schema.org/InStock"
_OUT_OF_STOCK = "https://schema.org/OutOfStock"


def product_ld(
    *, page, brand, gallery, variants, availability, certifications, request, language
) -> dict:
    """Schema.org Product; ``availability`` maps a variant id to whether it can
    be bought now (``brands.selectors.variants_availability``); ``language``
    is the page's (the request's: each language has its own tree)."""
    url = request.build_absolute_uri(page.get_url(request=request))
    images = [
        _rendition_url(item.image, slot_spec("product_ld"), request) for item in gallery
    ]
    data = {
        "@context": "https://schema.org",
        "@type": "Product",
        "name": page.title,
        "description": strip_tags(page.short_description or page.search_description),
        "url": url,
        "image": images,
        "category": page.get_category_display(),
        "brand": {"@type": "Brand", "name": brand.title},
    }
    if variants:
        data["sku"] = variants[0].sku
        data["offers"] = [
            {
                "@type": "Offer",
                "sku": variant.sku,
                "name": variant.display_name(language),
                "price": str(variant.price),
                "priceCurrency": "VND",
                "availability": _IN_STOCK
                if availability.get(variant.pk)
                else _OUT_OF_STOCK,
                "url": url,
                "seller": {"@type": "Organization", "name": brand.title},
            }
            for variant in variants
        ]
    awards = [
        f"OCOP {c.ocop_stars}★" if c.kind == "ocop" else c.get_kind_display()
        for c in certifications
    ]
    if awards:
        data["award"] = awards
    return data


def _luminance(hex_colour: str) -> float:
    r, g, b = (int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5))

    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def theme(*, brand) -> dict:
    """CSS custom properties of a brand; contrast text picked for legibility."""
    primary, accent = brand.brand_colour, brand.accent_colour
    return {
        "primary": primary,
        "primary_contrast": "#ffffff" if _luminance(primary) < 0.4 else "#1d2321",
        "accent": accent,
    }
