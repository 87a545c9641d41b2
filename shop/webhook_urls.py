"""Machine endpoints of the shop, outside the language prefix (Stripe webhook,
bank feed)."""

from django.urls import path

from .views import bankfeed, webhooks

urlpatterns = [
    path("stripe/webhook/", webhooks.stripe_webhook, name="stripe_webhook"),
    path("shop/bank-feed/", bankfeed.bank_feed, name="bank_feed"),
]
