"""Public URLs of the brands app (mounted under the language prefix)."""

from django.urls import path

from . import views

app_name = "brands"
urlpatterns = [
    path("p/<uuid:key>/", views.product_redirect, name="product_redirect"),
    path("p/<uuid:key>/qr.svg", views.product_qr_svg, name="product_qr_svg"),
    path("p/<uuid:key>/qr.png", views.product_qr_png, name="product_qr_png"),
    path("brand-themes.css", views.brand_themes_css, name="themes_css"),
    path("brand-labels/<uuid:key>/", views.label_sheet, name="label_sheet"),
]
