"""Accounts through allauth: sign up, verify, log in and out, reset, rate limits."""

from __future__ import annotations

import re

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.cache import caches
from django.urls import reverse

from tests.factories import UserFactory

User = get_user_model()


@pytest.fixture(autouse=True)
def _clear_rate_limits():
    # allauth keeps rate-limit counters in their own cache (accounts.ratelimit_store).
    caches["ratelimit"].clear()
    yield
    caches["ratelimit"].clear()


def test_signup_creates_a_user_and_sends_a_verification_email(client, db):
    response = client.post(
        "/accounts/signup/",
        {
            "email": "nguoimua@example.com",
            "password1": "mat-khau-dai-123",
            "password2": "mat-khau-dai-123",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(email="nguoimua@example.com")
    assert user.check_password("mat-khau-dai-123")
    assert EmailAddress.objects.get(user=user).verified is False
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["nguoimua@example.com"]


def test_signup_with_mismatched_passwords_saves_nothing(client, db):
    response = client.post(
        "/accounts/signup/",
        {
            "email": "x@example.com",
            "password1": "mat-khau-dai-123",
            "password2": "khac-nhau-456",
        },
    )
    assert response.status_code == 200
    assert not User.objects.filter(email="x@example.com").exists()


def test_email_verification_link_verifies(client, db):
    client.post(
        "/accounts/signup/",
        {
            "email": "b@example.com",
            "password1": "mat-khau-dai-123",
            "password2": "mat-khau-dai-123",
        },
    )
    link = re.search(
        r"https?://[^\s]+/accounts/confirm-email/[^\s]+", mail.outbox[0].body
    )
    assert link, mail.outbox[0].body
    path = "/" + link.group(0).split("/", 3)[3]
    response = client.post(path)
    assert response.status_code == 302
    assert EmailAddress.objects.get(email="b@example.com").verified is True


def test_login_and_logout(client, db):
    UserFactory(email="a@example.com", password="mat-khau-dai-123")
    response = client.post(
        "/accounts/login/", {"login": "a@example.com", "password": "mat-khau-dai-123"}
    )
    assert response.status_code == 302
    assert "_auth_user_id" in client.session
    # Logging out needs a POST: a GET only shows the confirmation page.
    assert client.get("/accounts/logout/").status_code == 200
    assert "_auth_user_id" in client.session
    client.post("/accounts/logout/")
    assert "_auth_user_id" not in client.session


def test_password_reset_sends_a_link_in_the_visitors_language(client, db):
    UserFactory(email="r@example.com")
    response = client.post("/en/accounts/password/reset/", {"email": "r@example.com"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert "/en/accounts/password/reset/key/" in mail.outbox[0].body


def test_repeated_failed_logins_are_rate_limited(client, db):
    UserFactory(email="victim@example.com", password="mat-khau-dai-123")
    bodies = [
        client.post(
            "/en/accounts/login/",
            {"login": "victim@example.com", "password": f"sai-{i}"},
        ).content.decode()
        for i in range(6)
    ]
    message = "Too many failed login attempts"
    # The per-account limit is 5 failures in 5 minutes (ACCOUNT_RATE_LIMITS).
    assert [message in body for body in bodies] == [False] * 5 + [True]
    # Even the right password is refused while the limit holds.
    blocked = client.post(
        "/en/accounts/login/",
        {"login": "victim@example.com", "password": "mat-khau-dai-123"},
    )
    assert message in blocked.content.decode()
    assert "_auth_user_id" not in client.session


def test_account_pages_exist_in_both_languages(client, db):
    for path in ("/accounts/login/", "/accounts/signup/", "/accounts/password/reset/"):
        vi = client.get(path)
        en = client.get("/en" + path)
        assert vi.status_code == en.status_code == 200
        assert '<html lang="vi">' in vi.content.decode()
        assert '<html lang="en">' in en.content.decode()


def test_the_admin_has_no_login_form_of_its_own(client, db):
    UserFactory(email="s@example.com", password="mat-khau-dai-123", is_superuser=True)
    response = client.post(
        "/admin/login/", {"username": "s@example.com", "password": "mat-khau-dai-123"}
    )
    assert response.status_code == 405
    assert "_auth_user_id" not in client.session
    assert client.get("/admin/password_reset/").status_code == 404


def test_a_signed_in_user_without_admin_access_is_not_sent_round_in_circles(client, db):
    buyer = UserFactory(email="buyer@example.com")
    client.force_login(buyer)
    response = client.get("/admin/", follow=True)
    # Wagtail sends them to the login page, which shows the form instead of
    # bouncing straight back to /admin/.
    assert response.status_code == 200
    assert len(response.redirect_chain) <= 2
    assert response.redirect_chain[-1][0].startswith("/accounts/login/")


@pytest.mark.parametrize(("prefix", "home"), [("", "/"), ("/en", "/en/")])
def test_logging_in_and_out_returns_to_the_language_it_started_in(
    client, db, prefix, home
):
    UserFactory(email="a@example.com", password="mat-khau-dai-123")
    response = client.post(
        f"{prefix}/accounts/login/",
        {"login": "a@example.com", "password": "mat-khau-dai-123"},
    )
    assert response.status_code == 302
    assert response["Location"] == home
    assert client.post(f"{prefix}/accounts/logout/")["Location"] == home


def test_a_next_address_still_wins_over_the_language_home(client, db):
    UserFactory(email="a@example.com", password="mat-khau-dai-123")
    response = client.post(
        "/en/accounts/login/?next=/en/gioi-thieu/",
        {"login": "a@example.com", "password": "mat-khau-dai-123"},
    )
    assert response["Location"] == "/en/gioi-thieu/"


def test_signing_up_and_verifying_in_english_stays_in_english(client, db):
    response = client.post(
        "/en/accounts/signup/",
        {
            "email": "b@example.com",
            "password1": "mat-khau-dai-123",
            "password2": "mat-khau-dai-123",
        },
    )
    assert response["Location"] == "/en/"
    link = re.search(r"https?://\S+/en/accounts/confirm-email/\S+", mail.outbox[0].body)
    assert link, mail.outbox[0].body
    path = "/" + link.group(0).split("/", 3)[3]
    assert client.post(path)["Location"] == "/en/"
    assert EmailAddress.objects.get(email="b@example.com").verified is True


def _guest_order(email: str):
    from tests.factories import onboarded_organisation
    from tests.factories.shop import order_part

    part = order_part(organisation=onboarded_organisation(), brand_title="HTX A")
    order = part.order
    order.email = email
    order.save(update_fields=["email"])
    return order


def test_guest_orders_join_the_account_once_its_email_is_verified(client, db):
    order = _guest_order("Khach@Example.com")
    client.post(
        "/accounts/signup/",
        {
            "email": "khach@example.com",
            "password1": "mat-khau-dai-123",
            "password2": "mat-khau-dai-123",
        },
    )
    user = User.objects.get(email="khach@example.com")
    # Signed up, not verified: typing somebody's address shows none of their orders.
    order.refresh_from_db()
    assert order.user_id is None
    page = client.get(reverse("shop:account_orders"))
    assert page.status_code == 200
    assert order.number not in page.content.decode()
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+", mail.outbox[0].body)
    client.post("/" + link.group(0).split("/", 3)[3])
    order.refresh_from_db()
    assert order.user_id == user.pk
    assert order.number in client.get(reverse("shop:account_orders")).content.decode()


def test_guest_orders_placed_later_join_at_the_next_login(client, db):
    user = UserFactory(email="c@example.com", password="mat-khau-dai-123")
    EmailAddress.objects.create(
        user=user, email="c@example.com", verified=True, primary=True
    )
    order = _guest_order("c@example.com")
    other = _guest_order("someone-else@example.com")
    client.post(
        "/accounts/login/", {"login": "c@example.com", "password": "mat-khau-dai-123"}
    )
    order.refresh_from_db()
    other.refresh_from_db()
    assert order.user_id == user.pk
    assert other.user_id is None


def test_an_unverified_address_attaches_nothing_at_login(client, db):
    user = UserFactory(email="d@example.com", password="mat-khau-dai-123")
    EmailAddress.objects.filter(user=user).update(verified=False)
    order = _guest_order("d@example.com")
    client.post(
        "/accounts/login/", {"login": "d@example.com", "password": "mat-khau-dai-123"}
    )
    order.refresh_from_db()
    assert order.user_id is None
