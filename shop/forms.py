"""Shop forms: validation only; views pass cleaned data to one service."""

from __future__ import annotations

import re

from django import forms
from django.core import validators
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from core.digits import DIGIT, AsciiIntegerField
from organisations.models import Organisation

from .addresses import DEFAULT_PROVINCE, HOME_COUNTRY, commune_match, province_names
from .models import FulfilmentStatus, PaymentMethod, ShippingPolicy

PHONE_RE = re.compile(rf"^(\+84|0){DIGIT}{{9,10}}$")
# E.164: a plus, a country code that does not start with 0, up to 15 digits.
INTERNATIONAL_PHONE_RE = re.compile(rf"^\+[1-9]{DIGIT}{{6,14}}$")


def _compact(value: str) -> str:
    return re.sub(r"[\s.\-()]", "", value or "")


def _phone(value: str) -> str:
    compact = _compact(value)
    if not PHONE_RE.match(compact):
        raise forms.ValidationError(
            _("Enter a Vietnamese phone number, e.g. 0912 345 678."), code="phone"
        )
    return compact


def _any_phone(value: str) -> str:
    """A Vietnamese number, or any number with its country code."""
    compact = _compact(value)
    if PHONE_RE.match(compact) or INTERNATIONAL_PHONE_RE.match(compact):
        return compact
    raise forms.ValidationError(
        _(
            "Enter a Vietnamese phone number (e.g. 0912 345 678) or a number "
            "with its country code (e.g. +49 30 1234 5678)."
        ),
        code="phone",
    )


def _country_choices() -> list[tuple[str, str]]:
    """ISO countries named in the active language, Vietnam first (settings:
    COUNTRIES_FIRST); a callable, so each form reads the language of its
    request."""
    return [(str(code), str(name)) for code, name in countries]


def _no_control_characters(value: str) -> str:
    if any(ord(ch) < 32 and ch not in "\n\r\t" for ch in value):
        raise forms.ValidationError(_("Please remove the invisible characters."))
    return value


class CheckoutForm(forms.Form):
    checkout_token = forms.UUIDField(widget=forms.HiddenInput)
    expected_total = AsciiIntegerField(widget=forms.HiddenInput, min_value=0)
    email = forms.EmailField(label=_("Email"), max_length=254)
    phone = forms.CharField(label=_("Phone"), max_length=20)
    saved_address = forms.ChoiceField(
        label=_("Use a saved address"), required=False, choices=()
    )
    recipient_name = forms.CharField(label=_("Recipient's name"), max_length=120)
    recipient_phone = forms.CharField(label=_("Recipient's phone"), max_length=20)
    # Left out (a form from before addresses abroad): Vietnam.
    country = forms.ChoiceField(
        label=_("Country"),
        choices=_country_choices,
        initial=HOME_COUNTRY,
        required=False,
    )
    # The country whose shipping the page showed: a total for another one is
    # priced again before the order is placed (shop.services.orders).
    priced_for = forms.CharField(widget=forms.HiddenInput, required=False, max_length=2)
    # In Vietnam (required there, checked in clean()).
    province = forms.ChoiceField(
        label=_("Province / city"),
        choices=[(name, name) for name in province_names()],
        initial=DEFAULT_PROVINCE,
        required=False,
    )
    commune = forms.CharField(
        label=_("Commune / ward"),
        max_length=120,
        required=False,
        help_text=_("Since July 2025 communes and wards belong to the province."),
        widget=forms.TextInput(attrs={"list": "commune-names", "autocomplete": "off"}),
    )
    street = forms.CharField(label=_("House number and street"), max_length=255)
    address_line2 = forms.CharField(
        label=_("Apartment, building, floor (optional)"),
        max_length=255,
        required=False,
    )
    # Abroad (the city is required there).
    city = forms.CharField(label=_("City / town"), max_length=120, required=False)
    region = forms.CharField(
        label=_("State / region (if your country uses one)"),
        max_length=120,
        required=False,
    )
    postal_code = forms.CharField(label=_("Postal code"), max_length=20, required=False)
    notes = forms.CharField(
        label=_("Notes for the brands (optional)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    save_address = forms.BooleanField(
        label=_("Save this address to my account"), required=False
    )
    # Choices are the site's ways to pay (set in __init__); whether every
    # brand of the cart takes the one chosen is the checkout service's check.
    payment_method = forms.ChoiceField(
        label=_("Payment method"),
        choices=(),
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Please choose how to pay."),
            "invalid_choice": _(
                "This way to pay is not offered. Please choose one of those listed."
            ),
        },
    )
    accept_terms = forms.BooleanField(
        label=_("I accept the terms of sale and the privacy policy."),
        error_messages={"required": _("Please accept the terms to place the order.")},
    )

    def __init__(
        self,
        *args,
        addresses=(),
        can_save_address=False,
        payment_methods=(),
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.fields["payment_method"].choices = [
            (method, PaymentMethod(method).label) for method in payment_methods
        ]
        self.addresses = {str(a.public_id): a for a in addresses}
        if self.addresses:
            self.fields["saved_address"].choices = [("", _("— a new address —"))] + [
                (key, str(address)) for key, address in self.addresses.items()
            ]
        else:
            del self.fields["saved_address"]
        if not can_save_address:
            del self.fields["save_address"]

    def clean_phone(self):
        return _any_phone(self.cleaned_data["phone"])

    def clean_country(self):
        return self.cleaned_data["country"] or HOME_COUNTRY

    def clean_priced_for(self):
        value = self.cleaned_data["priced_for"]
        return value if value in countries else HOME_COUNTRY

    def clean(self):
        data = super().clean()
        country = data.get("country")
        if not country:
            return data
        self._clean_recipient_phone(data, abroad=country != HOME_COUNTRY)
        if country == HOME_COUNTRY:
            self._clean_vietnamese_address(data)
            data.update(city="", region="", postal_code="")
        else:
            if not data.get("city"):
                self.add_error("city", _("Please enter the city or town."))
            data.update(province="", commune="")
        return data

    def _clean_recipient_phone(self, data: dict, *, abroad: bool) -> None:
        """A courier in Vietnam calls a Vietnamese number; abroad, any."""
        if "recipient_phone" not in data:
            return
        try:
            check = _any_phone if abroad else _phone
            data["recipient_phone"] = check(data["recipient_phone"])
        except forms.ValidationError as error:
            self.add_error("recipient_phone", error)

    def _clean_vietnamese_address(self, data: dict) -> None:
        province = data.get("province")
        if not province:
            if "province" not in self.errors:
                self.add_error("province", _("Please choose the province or city."))
            return
        typed = data.get("commune", "")
        if not typed:
            self.add_error("commune", _("Please enter the commune or ward."))
            return
        official = commune_match(province, typed)
        if official is None:
            self.add_error(
                "commune",
                _(
                    "“%(typed)s” is not a commune or ward of %(province)s. "
                    "Choose one from the list."
                )
                % {"typed": typed, "province": province},
            )
            return
        data["commune"] = official

    def clean_recipient_name(self):
        return _no_control_characters(self.cleaned_data["recipient_name"].strip())

    def clean_commune(self):
        return _no_control_characters(self.cleaned_data["commune"].strip())

    def clean_address_line2(self):
        return _no_control_characters(self.cleaned_data["address_line2"].strip())

    def clean_city(self):
        return _no_control_characters(self.cleaned_data["city"].strip())

    def clean_region(self):
        return _no_control_characters(self.cleaned_data["region"].strip())

    def clean_postal_code(self):
        return _no_control_characters(self.cleaned_data["postal_code"].strip())

    def clean_street(self):
        return _no_control_characters(self.cleaned_data["street"].strip())

    def clean_notes(self):
        return _no_control_characters(self.cleaned_data["notes"].strip())


# The card and bank-transfer pipeline; "confirmed" and "returned" belong to
# cash on delivery (CodStepForm).
PAID_ORDER_STATUSES = [
    (value, label)
    for value, label in FulfilmentStatus.choices
    if value not in (FulfilmentStatus.CONFIRMED, FulfilmentStatus.RETURNED)
]


class FulfilmentForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=PAID_ORDER_STATUSES)
    carrier = forms.CharField(label=_("Carrier"), max_length=80, required=False)
    tracking_number = forms.CharField(
        label=_("Tracking number"), max_length=80, required=False
    )

    def clean(self):
        data = super().clean()
        if data.get("status") == FulfilmentStatus.SHIPPED and not (
            data.get("carrier") and data.get("tracking_number")
        ):
            raise forms.ValidationError(
                _("A shipped order needs the carrier and the tracking number.")
            )
        return data


class CodStepForm(forms.Form):
    """One step of a cash-on-delivery part; carrier and tracking for "shipped"
    (the service checks them too)."""

    step = forms.ChoiceField(choices=FulfilmentStatus.choices)
    carrier = forms.CharField(label=_("Carrier"), max_length=80, required=False)
    tracking_number = forms.CharField(
        label=_("Tracking number"), max_length=80, required=False
    )


class RefundForm(forms.Form):
    amount = AsciiIntegerField(
        label=_("Amount to refund (VND)"), min_value=1, max_value=99_999_999
    )
    reason = forms.CharField(label=_("Reason"), max_length=255, required=False)


class StatementForm(forms.Form):
    # The queryset is the staff member's organisations, set in __init__.
    organisation: forms.ModelChoiceField[Organisation] = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.none()
    )
    start = forms.DateField(
        label=_("From"), widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(label=_("To"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            raise forms.ValidationError(
                _("The start date must not be after the end date.")
            )
        return data


# A brand's shipping fee is a few đồng to a few hundred thousand; more is a typo.
MAX_SHIPPING_VND = 5_000_000
# Air parcels abroad cost more: a few hundred thousand to a few million.
MAX_ABROAD_SHIPPING_VND = 20_000_000


class ShippingPolicyForm(forms.ModelForm):
    """A brand's shipping terms; staff also see the cash-on-delivery limit."""

    class Meta:
        model = ShippingPolicy
        fields = [
            "flat_fee",
            "free_over",
            "ships_abroad",
            "abroad_fee",
            "accepts_card",
            "accepts_vietqr",
            "accepts_cod",
            "cod_limit",
        ]

    def __init__(self, *args, may_set_cod_limit: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not may_set_cod_limit:
            del self.fields["cod_limit"]
        # Whole đồng; the model's positive fields refuse negatives already.
        for name in ("flat_fee", "free_over", "abroad_fee", "cod_limit"):
            if name in self.fields:
                self.fields[name].widget.attrs.update(min="0", inputmode="numeric")
                # Django's Vietnamese for "Enter a whole number." is garbled.
                self.fields[name].error_messages["invalid"] = _(
                    "Enter an amount in whole đồng, digits only."
                )
        self.fields["flat_fee"].validators.append(
            validators.MaxValueValidator(MAX_SHIPPING_VND)
        )
        self.fields["abroad_fee"].validators.append(
            validators.MaxValueValidator(MAX_ABROAD_SHIPPING_VND)
        )
        # Left empty by a brand that ships in Vietnam only.
        self.fields["abroad_fee"].required = False

    def clean_abroad_fee(self):
        return self.cleaned_data["abroad_fee"] or 0

    def clean(self):
        cleaned = super().clean()
        if not any(
            cleaned.get(name)
            for name in ("accepts_card", "accepts_vietqr", "accepts_cod")
        ):
            raise forms.ValidationError(
                _("Accept at least one way to pay, or buyers cannot order from you.")
            )
        if cleaned.get("ships_abroad") and not cleaned.get("accepts_card"):
            self.add_error(
                "ships_abroad",
                _(
                    "Buyers abroad can only pay by card: accept card payments "
                    "to ship abroad."
                ),
            )
        return cleaned
