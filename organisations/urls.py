from django.urls import path

from . import views

app_name = "organisation_invitations"

urlpatterns = [
    path(
        "organisations/invitations/<str:token>/",
        views.invitation_accept_view,
        name="accept",
    ),
]
