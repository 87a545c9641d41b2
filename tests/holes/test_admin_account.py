"""The admin's account page cannot change an email address or a password.

A borrowed session must not become a takeover: email and password changes go
through allauth (re-authentication, verification mail), never /admin/account/.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import UserFactory

PASSWORD = "mat-khau-dai-123"


@pytest.fixture
def admin_user(db):
    return UserFactory(
        email="bien-tap@example.com",
        password=PASSWORD,
        is_superuser=True,
        is_staff=True,
        first_name="Lan",
        last_name="Nguyen",
    )


def test_admin_account_form_cannot_change_email_or_password(client, admin_user):
    client.force_login(admin_user)

    response = client.post(
        reverse("wagtailadmin_account"),
        {
            "name_email-first_name": "Lan",
            "name_email-last_name": "Nguyen",
            "name_email-email": "ke-gian@example.com",
            "password-old_password": PASSWORD,
            "password-new_password1": "mat-khau-moi-cua-ke-gian",
            "password-new_password2": "mat-khau-moi-cua-ke-gian",
            "locale-preferred_language": "vi",
            "locale-current_time_zone": "Asia/Ho_Chi_Minh",
            "theme-theme": "system",
            "theme-density": "default",
            "theme-contrast": "system",
            "theme-keyboard_shortcuts": "on",
        },
    )

    # The form is valid (so the test is not passing on a typo) ...
    assert response.status_code == 302
    # ... and yet neither the email nor the password changed.
    admin_user.refresh_from_db()
    assert admin_user.email == "bien-tap@example.com"
    assert admin_user.check_password(PASSWORD)


def test_admin_account_page_offers_no_email_or_password_field(client, admin_user):
    client.force_login(admin_user)

    body = client.get(reverse("wagtailadmin_account")).content.decode()

    assert 'name="name_email-email"' not in body
    assert 'name="password-new_password1"' not in body
    # ... and sends the editor to allauth's screens instead.
    assert 'href="/accounts/email/"' in body
    assert 'href="/accounts/password/change/"' in body


def test_name_changes_in_the_admin_still_work(client, admin_user):
    client.force_login(admin_user)

    response = client.post(
        reverse("wagtailadmin_account"),
        {
            "name_email-first_name": "Mai",
            "name_email-last_name": "Tran",
            "locale-preferred_language": "vi",
            "locale-current_time_zone": "Asia/Ho_Chi_Minh",
            "theme-theme": "system",
            "theme-density": "default",
            "theme-contrast": "system",
            "theme-keyboard_shortcuts": "on",
        },
    )

    assert response.status_code == 302
    admin_user.refresh_from_db()
    assert (admin_user.first_name, admin_user.last_name) == ("Mai", "Tran")
