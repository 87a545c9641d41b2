"""Issue 11.3: one rule for digits in every numeric input (see core/digits.py).

Each input below reads "12000"-like ASCII numbers and refuses the same
number typed with full-width or Arabic-Indic digits, with no write. Before
the rule, stock counts, cart quantities, the admin's integer fields, refund
amounts, price filters, the assessment's figures and the applicant's phone
read them through ``int()``/``str.isdigit()`` while tax codes and ids refused
them. (Deliberately imports nothing from core.digits: this runs on old code.)
"""

from __future__ import annotations

import time

import pytest
from django.core.exceptions import ValidationError

from assessment.forms import OrganisationCreateForm
from brands.forms import CatalogueFilterForm
from brands.models import ProductVariant
from brands.wagtail_hooks import ProductVariantViewSet
from joining.forms import ApplicationForm
from organisations.admin_checks import _int as admin_route_id
from organisations.models import Organisation
from organisations.validators import validate_tax_code
from organisations.views import _form_id
from organisations.wagtail_hooks import OrganisationViewSet
from shop import cart
from shop.errors import InvalidQuantity
from shop.forms import RefundForm, _phone
from shop.models import StockRecord
from shop.payments import bankfeed
from shop.services.stock import stock_set_on_hand
from tests.factories import shop as shop_factories

FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")
ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
SCRIPTS = {"ascii": None, "full-width": FULL_WIDTH, "arabic-indic": ARABIC_INDIC}


def _accepts(call) -> bool:
    try:
        result = call()
    except (ValidationError, InvalidQuantity, bankfeed.MalformedNotification):
        return False
    except bankfeed.BankFeedSignatureError:
        return False
    return result is not None


def _field(form, name: str, text: str):
    return lambda: form.fields[name].clean(text)


def _admin_form(viewset_class, model):
    handler = viewset_class.edit_handler.bind_to_model(model)
    return handler.get_form_class()()


def _stock(text: str):
    variant = shop_factories.variant(on_hand=5)
    record = StockRecord.objects.get(variant=variant)

    def call():
        try:
            stock_set_on_hand(record=record, raw_quantity=text)
        except InvalidQuantity:
            record.refresh_from_db()
            assert record.quantity_on_hand == 5  # refused: nothing written
            raise
        record.refresh_from_db()
        return record.quantity_on_hand == 12 or None

    return call


def _bank_amount(text: str):
    return lambda: bankfeed.credit_from(
        {"referenceCode": "FT26341123456", "transferAmount": text, "content": "x"}
    )


def _bank_timestamp(text: str, settings):
    settings.SHOP_BANK_FEED_SECRET = "digits-secret"
    payload = b"{}"
    stamp = str(int(time.time()))
    signature = bankfeed.notification_signature(
        payload=payload, secret="digits-secret", timestamp=int(stamp)
    )
    typed = stamp.translate(SCRIPTS[text]) if SCRIPTS[text] else stamp
    return lambda: (
        bankfeed.notification_verify(
            payload=payload, signature=signature, timestamp=typed
        )
        or True
    )


# name -> (number as typed in ASCII, how to submit it)
INPUTS = {
    "stock count": ("12", lambda t, s: _stock(t)),
    "cart quantity": ("12", lambda t, s: lambda: cart.parse_quantity(t)),
    "tax code": ("0100109106", lambda t, s: lambda: validate_tax_code(t) or True),
    "checkout phone": ("0912345678", lambda t, s: lambda: _phone(t)),
    "applicant phone": (
        "0912345678",
        lambda t, s: _field(ApplicationForm(), "phone", t),
    ),
    "applicant employees": (
        "12",
        lambda t, s: _field(ApplicationForm(), "employees", t),
    ),
    "assessment employees": (
        "12",
        lambda t, s: _field(OrganisationCreateForm(), "employees", t),
    ),
    "member id in form body": ("12", lambda t, s: lambda: _form_id(t)),
    "admin route id": ("12", lambda t, s: lambda: admin_route_id(t)),
    "refund amount": ("12000", lambda t, s: _field(RefundForm(), "amount", t)),
    "catalogue price filter": (
        "12000",
        lambda t, s: _field(CatalogueFilterForm(brands=[]), "min_price", t),
    ),
    "variant price (admin)": (
        "12000",
        lambda t, s: _field(
            _admin_form(ProductVariantViewSet, ProductVariant), "price", t
        ),
    ),
    "organisation employees (admin)": (
        "12",
        lambda t, s: _field(
            _admin_form(OrganisationViewSet, Organisation), "employees", t
        ),
    ),
    "organisation phone (admin)": (
        "0912345678",
        lambda t, s: _field(_admin_form(OrganisationViewSet, Organisation), "phone", t),
    ),
    "bank feed amount": ("12000", lambda t, s: _bank_amount(t)),
}


@pytest.mark.django_db
@pytest.mark.parametrize("script", list(SCRIPTS))
@pytest.mark.parametrize("name", list(INPUTS))
def test_every_numeric_input_follows_the_one_rule(name, script, settings):
    ascii_text, submit = INPUTS[name]
    table = SCRIPTS[script]
    text = ascii_text.translate(table) if table else ascii_text
    accepted = _accepts(submit(text, settings))
    assert accepted is (script == "ascii"), f"{name} typed {text!r}"


@pytest.mark.parametrize("script", list(SCRIPTS))
def test_a_signed_bank_notification_follows_the_rule_too(script, settings):
    assert _accepts(_bank_timestamp(script, settings)) is (script == "ascii")
