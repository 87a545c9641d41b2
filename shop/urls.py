"""Public URLs of the shop app (mounted under the language prefix)."""

from django.urls import path

from .views import account, cart, checkout, orders, payment

app_name = "shop"
urlpatterns = [
    path("cart/", cart.cart_detail, name="cart"),
    path("cart/add/", cart.cart_add, name="cart_add"),
    path("cart/update/", cart.cart_update, name="cart_update"),
    path("checkout/", checkout.checkout, name="checkout"),
    path("checkout/communes/", checkout.commune_list, name="communes"),
    path("orders/<uuid:public_id>/", orders.order_detail, name="order_detail"),
    path("orders/<uuid:public_id>/pay/", payment.order_pay, name="order_pay"),
    path(
        "orders/<uuid:public_id>/pay/card/",
        payment.order_pay_card,
        name="order_pay_card",
    ),
    path("orders/<uuid:public_id>/status/", orders.order_status, name="order_status"),
    path("my/orders/", account.account_orders, name="account_orders"),
    path("my/addresses/", account.account_addresses, name="account_addresses"),
    path("my/profile/", account.account_profile, name="account_profile"),
]
