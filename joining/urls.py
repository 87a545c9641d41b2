from django.urls import path

from . import views

app_name = "joining"

urlpatterns = [
    path("organisations/apply/", views.apply, name="apply"),
    path(
        "organisations/applications/<uuid:public_id>/",
        views.application_detail,
        name="application",
    ),
]
