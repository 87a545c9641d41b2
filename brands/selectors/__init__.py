"""Read API of brands. The ONLY brands module the shop may import.

Every function runs a constant number of queries whatever the number of items.
Titles and URLs come in the requested language, falling back to Vietnamese
(the default locale, which owns the variants) when no translation is live.

- ``sale``: what the shop needs to price and show variants
- ``listings``: pages in a language, cards, search, featured items
- ``pages``: the reads behind the public pages' ``get_context``
- ``cache_keys``: what a page shows and a change purges (core.page_cache)
- ``admin_links``: where an organisation's people take the next steps
"""

from .admin_links import BrandAdminLinks, brand_admin_links
from .cache_keys import (
    cache_keys_of_image,
    cache_keys_of_page,
    cache_keys_of_variants,
    cache_keys_shown,
)
from .listings import (
    MAX_SEARCH_TERMS,
    brand_cards_queryset,
    featured_brands,
    featured_products,
    localized_live,
    product_cards_queryset,
    search_text_matching,
    variants_for_product,
)
from .pages import (
    brand_cards_filtered,
    brand_communes,
    brand_products,
    catalogue_brand_choices,
    certifications_valid,
    product_brand,
    product_cards_filtered,
    product_gallery,
    product_traceability,
    variants_availability,
)
from .sale import VariantForSale, variant_for_sale, variants_for_sale

__all__ = [
    "cache_keys_of_image",
    "cache_keys_of_page",
    "cache_keys_of_variants",
    "cache_keys_shown",
    "MAX_SEARCH_TERMS",
    "BrandAdminLinks",
    "brand_admin_links",
    "VariantForSale",
    "brand_cards_filtered",
    "brand_cards_queryset",
    "brand_communes",
    "brand_products",
    "catalogue_brand_choices",
    "certifications_valid",
    "featured_brands",
    "featured_products",
    "localized_live",
    "product_brand",
    "product_cards_filtered",
    "product_cards_queryset",
    "product_gallery",
    "product_traceability",
    "search_text_matching",
    "variant_for_sale",
    "variants_for_sale",
    "variants_availability",
    "variants_for_product",
]
