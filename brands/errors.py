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
