"""Machine endpoints of the shop, outside the language prefix (Stripe webhook)."""

from django.urls import path

from .views import webhooks

urlpatterns = [
    path("stripe/webhook/", webhooks.stripe_webhook, name="stripe_webhook"),
]
