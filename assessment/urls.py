"""Public URLs of the assessment app (mounted under the language prefix)."""

from django.urls import path  # noqa: F401

app_name = "assessment"
urlpatterns: list = []
