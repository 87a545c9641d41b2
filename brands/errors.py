"""The brands app's exception family (the same shape as ``shop.errors``).

``message`` is translated (lazily) for the visitor or editor, ``code`` is a
stable machine name, ``status`` the HTTP status a view answers with.

Field errors of page and variant forms stay ``django.core.exceptions.
ValidationError``: Wagtail's admin shows those next to the field. This family
is for failures that are not about one field; raise a subclass of
``BrandsError``, never a bare ``Exception``.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _


class BrandsError(Exception):
    code = "brands_error"
    status = 400
    default_message = _("Something in your request could not be processed.")

    def __init__(self, message=None) -> None:
        self.message = message or self.default_message
        super().__init__(str(self.message))


class ProductHasOrders(BrandsError):
    """A variant, or a page with products under it, that buyers have ordered.

    Order lines keep copies of what was sold, but the stock holds of those
    orders point at the variants' stock records, and the shop keeps them for
    its accounts: deleting is refused, stopping the sale is offered instead.
    """

    code = "product_has_orders"
    status = 409
    default_message = _(
        "This product already has orders, so it cannot be deleted; stop selling "
        "it instead (untick “on sale”)."
    )


class PageHasOrders(ProductHasOrders):
    default_message = _(
        "This page, or a product under it, already has orders, so it cannot be "
        "deleted; unpublish it instead, or stop selling its variants."
    )
