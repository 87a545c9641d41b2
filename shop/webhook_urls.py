"""Machine endpoints of the shop, outside the language prefix (Stripe webhook)."""

from django.urls import path

from . import views

urlpatterns = [
    path("stripe/webhook/", views.stripe_webhook, name="stripe_webhook"),
]
