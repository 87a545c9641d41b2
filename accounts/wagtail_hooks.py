"""The admin's account page sends email and password changes to allauth.

Wagtail's own email and password panels are off
(WAGTAIL_EMAIL_MANAGEMENT_ENABLED, WAGTAIL_PASSWORD_MANAGEMENT_ENABLED): they
change both without asking for the password again.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from wagtail import hooks


@hooks.register("register_account_menu_item")
def change_email_address(request):
    return {
        "url": reverse("account_email"),
        "label": _("Change email address"),
        "help_text": _(
            "Add, verify or remove the addresses you sign in with. "
            "You confirm your password first."
        ),
    }


@hooks.register("register_account_menu_item")
def change_password(request):
    return {
        "url": reverse("account_change_password"),
        "label": _("Change password"),
        "help_text": _("Your current password is asked for first."),
    }
