"""Models of the brands app, one module per concern; import them from here.

- ``pages``: BrandIndexPage, CataloguePage, BrandPage
- ``catalogue``: ProductPage, ProductGalleryImage, ProductVariant
- ``certifications``: OCOP, VietGAP... certificates of brands and products
- ``traceability``: growing-area and packing-house records of products
"""

from ..choices import CertificationKind, ProductCategory
from .catalogue import ProductGalleryImage, ProductPage, ProductVariant
from .certifications import (
    OCOP_VALIDITY_MONTHS,
    BrandCertification,
    Certification,
    ProductCertification,
    add_months,
)
from .pages import BrandIndexPage, BrandPage, CataloguePage
from .traceability import TraceabilityRecord

__all__ = [
    "OCOP_VALIDITY_MONTHS",
    "BrandCertification",
    "BrandIndexPage",
    "BrandPage",
    "CataloguePage",
    "Certification",
    "CertificationKind",
    "ProductCategory",
    "ProductCertification",
    "ProductGalleryImage",
    "ProductPage",
    "ProductVariant",
    "TraceabilityRecord",
    "add_months",
]
