"""Shop forms: validation only; views pass cleaned data to one service."""

from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from organisations.models import Organisation

from .models import FulfilmentStatus, PaymentMethod

PROVINCES = [
    "An Giang",
    "Cần Thơ",
    "Đồng Tháp",
    "Vĩnh Long",
    "Cà Mau",
    "Tây Ninh",
    "Thành phố Hồ Chí Minh",
    "Đồng Nai",
    "Lâm Đồng",
    "Khánh Hòa",
    "Đắk Lắk",
    "Gia Lai",
    "Quảng Ngãi",
    "Thành phố Đà Nẵng",
    "Thành phố Huế",
    "Quảng Trị",
    "Hà Tĩnh",
    "Nghệ An",
    "Thanh Hóa",
    "Ninh Bình",
    "Hưng Yên",
    "Thành phố Hải Phòng",
    "Thành phố Hà Nội",
    "Bắc Ninh",
    "Quảng Ninh",
    "Phú Thọ",
    "Thái Nguyên",
    "Tuyên Quang",
    "Lào Cai",
    "Lạng Sơn",
    "Cao Bằng",
    "Điện Biên",
    "Lai Châu",
    "Sơn La",
]

PHONE_RE = re.compile(r"^(\+84|0)[0-9]{9,10}$")


def _phone(value: str) -> str:
    compact = re.sub(r"[\s.\-()]", "", value or "")
    if not PHONE_RE.match(compact):
        raise forms.ValidationError(
            _("Enter a Vietnamese phone number, e.g. 0912 345 678."), code="phone"
        )
    return compact


def _no_control_characters(value: str) -> str:
    if any(ord(ch) < 32 and ch not in "\n\r\t" for ch in value):
        raise forms.ValidationError(_("Please remove the invisible characters."))
    return value


class CheckoutForm(forms.Form):
    checkout_token = forms.UUIDField(widget=forms.HiddenInput)
    expected_total = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    email = forms.EmailField(label=_("Email"), max_length=254)
    phone = forms.CharField(label=_("Phone"), max_length=20)
    saved_address = forms.ChoiceField(
        label=_("Use a saved address"), required=False, choices=()
    )
    recipient_name = forms.CharField(label=_("Recipient's name"), max_length=120)
    recipient_phone = forms.CharField(label=_("Recipient's phone"), max_length=20)
    province = forms.ChoiceField(
        label=_("Province / city"),
        choices=[(p, p) for p in PROVINCES],
        initial="An Giang",
    )
    commune = forms.CharField(label=_("Commune / ward"), max_length=120)
    street = forms.CharField(label=_("House number and street"), max_length=255)
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
        return _phone(self.cleaned_data["phone"])

    def clean_recipient_phone(self):
        return _phone(self.cleaned_data["recipient_phone"])

    def clean_recipient_name(self):
        return _no_control_characters(self.cleaned_data["recipient_name"].strip())

    def clean_commune(self):
        return _no_control_characters(self.cleaned_data["commune"].strip())

    def clean_street(self):
        return _no_control_characters(self.cleaned_data["street"].strip())

    def clean_notes(self):
        return _no_control_characters(self.cleaned_data["notes"].strip())


class FulfilmentForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=FulfilmentStatus.choices)
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


class RefundForm(forms.Form):
    amount = forms.IntegerField(
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
