"""The shop's exception family. Each carries a message for the buyer.

Each error has a stable ``code``, the HTTP ``status`` a view answers with and a
``message`` for the buyer (translated, lazily). Views catch ``ShopError`` and
show ``message`` with that status or as a form error; nothing is half-saved
because every service raising these runs in one transaction.

Two families stay apart on purpose: ``shop.money.MoneyError`` (money is pure,
no Django, so no translation) and ``shop.payments.gateway.PaymentError``
(Stripe's failures, translated into these by the services).
"""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy


class ShopError(Exception):
    code = "shop_error"
    status = 400
    default_message = _("Something in your request could not be processed.")

    def __init__(self, message: str | Promise | None = None) -> None:
        self.message = message or self.default_message
        super().__init__(str(self.message))


class InvalidQuantity(ShopError):
    code = "invalid_quantity"
    default_message = _("Please enter a whole number of items between 1 and 999.")


class ProductUnavailable(ShopError):
    code = "unavailable"
    default_message = _("This product is not for sale at the moment.")


class OutOfStock(ShopError):
    code = "out_of_stock"
    status = 409

    def __init__(self, titles: list[str] | None = None) -> None:
        self.titles = titles or []
        message: str | Promise
        if self.titles:
            message = _("Sorry, not enough left in stock: %(items)s.") % {
                "items": ", ".join(self.titles)
            }
        else:
            message = _("Sorry, that product is out of stock.")
        super().__init__(message)


class CartEmpty(ShopError):
    code = "cart_empty"
    default_message = _("Your cart is empty.")


class CartChanged(ShopError):
    code = "cart_changed"
    status = 409
    default_message = _(
        "Prices or availability changed since you opened the checkout. "
        "Please check the new total and confirm again."
    )


class PaymentMethodRefused(ShopError):
    code = "method_refused"
    default_message = _(
        "This way to pay is not available for this cart. Please choose another "
        "one; the note under each way to pay says which brand does not take it."
    )


class ShippingPricedAgain(CartChanged):
    """The page showed the shipping for one country, the form names another."""

    code = "shipping_priced_again"
    default_message = _(
        "The shipping is now priced for the country you chose. Please check "
        "the new total and the ways to pay, then confirm again."
    )


class NotShippedThere(ShopError):
    code = "not_shipped_there"
    status = 409

    def __init__(self, brands: list[str]) -> None:
        self.brands = brands
        super().__init__(
            ngettext_lazy(
                "%(brands)s does not ship outside Vietnam. Take its products "
                "out of your cart, or choose an address in Vietnam.",
                "%(brands)s do not ship outside Vietnam. Take their products "
                "out of your cart, or choose an address in Vietnam.",
                len(brands),
            )
            % {"brands": ", ".join(brands)}
        )


class OrderAmountInvalid(ShopError):
    code = "amount_invalid"


class InvalidOrderStatus(ShopError):
    code = "invalid_status"
    status = 409
    default_message = _("This order cannot move to that status.")


class RefundInvalid(ShopError):
    code = "refund_invalid"
    default_message = _("That refund amount is not possible for this order.")


class PaymentFailed(ShopError):
    code = "payment_failed"
    status = 402
    default_message = _("The payment did not go through. Please try another card.")


class PaymentServiceUnavailable(ShopError):
    code = "payment_unavailable"
    status = 503
    default_message = _(
        "The payment service is not reachable right now. Your order is kept; "
        "please try again in a minute."
    )


class OrderNotPayable(ShopError):
    code = "not_payable"
    status = 409
    default_message = _("This order can no longer be paid.")


class TransferUnavailable(ShopError):
    code = "transfer_unavailable"
    status = 503
    default_message = _(
        "Bank transfer is not available at the moment. Your order is kept; "
        "please choose another way to pay or try again later."
    )


class TransferResolutionInvalid(ShopError):
    code = "transfer_resolution_invalid"
    status = 409
    default_message = _(
        "This bank transaction cannot be settled that way: it is not awaiting "
        "review, or its amount is not the order's total."
    )


class TooManyUnpaidOrders(ShopError):
    code = "too_many_unpaid_orders"
    status = 429
    default_message = _(
        "You have placed too many orders that are not paid yet. Please pay or "
        "wait for an earlier order to expire, then try again later."
    )


class HoldTooLarge(ShopError):
    code = "hold_too_large"
    status = 400


class ProductsRemoved(CartChanged):
    code = "products_removed"
    default_message = _(
        "Some products in your cart are no longer for sale and were removed. "
        "Please check your cart and confirm again."
    )


class CodNotAllowed(ShopError):
    code = "cod_not_allowed"
    status = 403
    default_message = _(
        "Only the members of the brand that ships this part can record its delivery."
    )


class CodShippingDetailsMissing(ShopError):
    code = "cod_shipping_details_missing"
    default_message = _("A shipped order needs the carrier and the tracking number.")
