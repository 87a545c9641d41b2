"""Public filter forms; invalid values are reported and ignored, never a 500."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .choices import CertificationKind, ProductCategory
from .validators import MAX_PRICE_VND


def valid_filters(form: forms.Form) -> dict:
    """The filters a visitor chose that are valid, dropping only the bad ones.

    One mistyped value (a price with letters, a brand that left) must not throw
    away the visitor's other filters and list everything; the form still shows
    its error beside the field, and the page cache does not store the page.
    """
    if not form.is_bound:
        return {}
    form.is_valid()
    # Django removes each field with an error from cleaned_data; the rest stay.
    return dict(form.cleaned_data)


def _with_any(choices, label):
    return [("", label), *choices]


class BrandFilterForm(forms.Form):
    category = forms.ChoiceField(
        label=_("Product category"),
        required=False,
        choices=_with_any(ProductCategory.choices, _("All categories")),
    )
    certification = forms.ChoiceField(
        label=_("Certificate"),
        required=False,
        choices=_with_any(CertificationKind.choices, _("Any certificate")),
    )
    commune = forms.ChoiceField(label=_("Commune or ward"), required=False)
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[("name", _("Name")), ("newest", _("Newest"))],
    )

    def __init__(self, *args, communes: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commune"].choices = _with_any(
            [(name, name) for name in communes], _("All communes")
        )


class CatalogueFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    category = forms.ChoiceField(
        label=_("Category"),
        required=False,
        choices=_with_any(ProductCategory.choices, _("All categories")),
    )
    brand = forms.ChoiceField(label=_("Brand"), required=False)
    min_price = forms.IntegerField(
        label=_("Price from (₫)"), required=False, min_value=0, max_value=MAX_PRICE_VND
    )
    max_price = forms.IntegerField(
        label=_("Price to (₫)"), required=False, min_value=0, max_value=MAX_PRICE_VND
    )
    certification = forms.ChoiceField(
        label=_("Certificate"),
        required=False,
        choices=_with_any(CertificationKind.choices, _("Any certificate")),
    )
    in_stock = forms.BooleanField(label=_("In stock only"), required=False)
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[
            ("name", _("Name")),
            ("price", _("Price: low to high")),
            ("-price", _("Price: high to low")),
            ("newest", _("Newest")),
        ],
    )

    def __init__(self, *args, brands: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["brand"].choices = _with_any(brands, _("All brands"))

    def clean(self):
        cleaned = super().clean()
        low, high = cleaned.get("min_price"), cleaned.get("max_price")
        if low is not None and high is not None and low > high:
            self.add_error(
                "max_price", _("The upper price must not be below the lower price.")
            )
        return cleaned
