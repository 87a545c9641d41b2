"""Public URLs of the shop app (mounted under the language prefix)."""

from django.urls import path

from . import views

app_name = "shop"
urlpatterns = [
    path("cart/", views.cart_detail, name="cart"),
    path("cart/add/", views.cart_add, name="cart_add"),
    path("cart/update/", views.cart_update, name="cart_update"),
    path("checkout/", views.checkout, name="checkout"),
    path("orders/<uuid:public_id>/", views.order_detail, name="order_detail"),
    path("orders/<uuid:public_id>/pay/", views.order_pay, name="order_pay"),
    path(
        "orders/<uuid:public_id>/pay/card/", views.order_pay_card, name="order_pay_card"
    ),
    path("orders/<uuid:public_id>/status/", views.order_status, name="order_status"),
    path("my/orders/", views.account_orders, name="account_orders"),
    path("my/addresses/", views.account_addresses, name="account_addresses"),
    path("my/profile/", views.account_profile, name="account_profile"),
]
