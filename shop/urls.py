"""Public URLs of the shop app (mounted under the language prefix)."""

from django.urls import path  # noqa: F401

app_name = "shop"
urlpatterns: list = []
