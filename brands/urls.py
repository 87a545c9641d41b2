"""Public URLs of the brands app (mounted under the language prefix)."""

from django.urls import path  # noqa: F401

app_name = "brands"
urlpatterns: list = []
