"""Machine endpoints of the shop, outside the language prefix (Stripe webhook)."""

urlpatterns: list = []
