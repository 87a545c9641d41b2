"""Owners invite editors, remove them and hand over ownership (issue 11, Members)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.test import Client
from django.utils import timezone

from organisations.errors import (
    InvitationInvalid,
    InvitationRefused,
    MemberChangeRefused,
    MembersNotAllowed,
)
from organisations.members import (
    invitation_accept,
    invitation_create,
    invitation_revoke,
    member_remove,
    ownership_transfer,
)
from organisations.models import Invitation, Membership
from tests.factories import (
    OrganisationFactory,
    UserFactory,
    member,
    onboarded_organisation,
)

pytestmark = pytest.mark.django_db

MEMBERS_URL = "/admin/organisation/members/"


def _verified_user(email: str, *, verified: bool = True):
    user = UserFactory(email=email)
    EmailAddress.objects.create(user=user, email=email, verified=verified, primary=True)
    return user


@pytest.fixture
def org():
    return onboarded_organisation()


@pytest.fixture
def owner(org):
    return member(org, Membership.Role.OWNER)


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_invited_editor_accepts_and_joins_the_group(org, owner):
    issued = invitation_create(organisation=org, by=owner, email="Col@Example.com")
    colleague = _verified_user("col@example.com")
    membership = invitation_accept(token=issued.token, user=colleague)
    assert membership.role == Membership.Role.EDITOR
    assert colleague.groups.filter(pk=org.group_id).exists()
    # Only the hash of the token is stored.
    assert issued.token not in Invitation.objects.values_list("token_hash", flat=True)


def test_reused_token_is_refused(org, owner):
    issued = invitation_create(organisation=org, by=owner, email="col@example.com")
    colleague = _verified_user("col@example.com")
    invitation_accept(token=issued.token, user=colleague)
    with pytest.raises(InvitationInvalid):
        invitation_accept(token=issued.token, user=colleague)


def test_expired_token_is_refused(org, owner):
    issued = invitation_create(organisation=org, by=owner, email="col@example.com")
    Invitation.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    with pytest.raises(InvitationInvalid):
        invitation_accept(token=issued.token, user=_verified_user("col@example.com"))
    assert not Membership.objects.filter(user__email="col@example.com").exists()


def test_revoked_token_is_refused(org, owner):
    issued = invitation_create(organisation=org, by=owner, email="col@example.com")
    invitation_revoke(invitation=issued.invitation, by=owner)
    with pytest.raises(InvitationInvalid):
        invitation_accept(token=issued.token, user=_verified_user("col@example.com"))


def test_wrong_email_is_refused(org, owner):
    issued = invitation_create(organisation=org, by=owner, email="col@example.com")
    with pytest.raises(InvitationRefused):
        invitation_accept(token=issued.token, user=_verified_user("other@example.com"))
    assert Invitation.objects.get().accepted_at is None


def test_unverified_email_is_refused(org, owner):
    issued = invitation_create(organisation=org, by=owner, email="col@example.com")
    user = _verified_user("col@example.com", verified=False)
    with pytest.raises(InvitationRefused):
        invitation_accept(token=issued.token, user=user)
    assert not Membership.objects.filter(user=user).exists()


def test_duplicate_open_invitation_and_existing_member_are_refused(org, owner):
    invitation_create(organisation=org, by=owner, email="col@example.com")
    with pytest.raises(InvitationRefused):
        invitation_create(organisation=org, by=owner, email="COL@example.com")
    with pytest.raises(InvitationRefused):
        invitation_create(organisation=org, by=owner, email=owner.email)


def test_editor_and_unverified_owner_cannot_invite(org, owner):
    editor = member(org)
    with pytest.raises(MembersNotAllowed):
        invitation_create(organisation=org, by=editor, email="x@example.com")
    unverified = OrganisationFactory(verified_at=None)
    unverified_owner = member(unverified, Membership.Role.OWNER)
    with pytest.raises(MembersNotAllowed):
        invitation_create(
            organisation=unverified, by=unverified_owner, email="x@example.com"
        )
    assert not Invitation.objects.exists()


def test_last_owner_cannot_leave(org, owner):
    with pytest.raises(MemberChangeRefused):
        member_remove(organisation=org, by=owner, user=owner)
    assert Membership.objects.filter(user=owner, role=Membership.Role.OWNER).exists()


def test_transfer_then_old_owner_cannot_invite(org, owner):
    editor = member(org)
    ownership_transfer(organisation=org, by=owner, to_user=editor)
    assert Membership.objects.get(user=editor).role == Membership.Role.OWNER
    assert Membership.objects.get(user=owner).role == Membership.Role.EDITOR
    with pytest.raises(MembersNotAllowed):
        invitation_create(organisation=org, by=owner, email="x@example.com")


def test_transfer_to_outsider_is_refused(org, owner):
    with pytest.raises(MemberChangeRefused):
        ownership_transfer(organisation=org, by=owner, to_user=UserFactory())
    assert Membership.objects.get(user=owner).role == Membership.Role.OWNER


def test_removed_editor_loses_admin_at_once(org, owner):
    editor = member(org)
    client = _client(editor)
    assert client.get("/admin/").status_code == 200
    member_remove(organisation=org, by=owner, user=editor)
    assert not editor.groups.filter(pk=org.group_id).exists()
    assert client.get("/admin/").status_code == 302  # back to the login


def test_members_page_invite_email_and_accept_over_http(org, owner):
    client = _client(owner)
    assert client.get(MEMBERS_URL).status_code == 200
    response = client.post(
        MEMBERS_URL,
        {"organisation": org.public_id, "action": "invite", "email": "col@example.com"},
    )
    assert response.status_code == 302
    (message,) = mail.outbox
    # The owner works in the Vietnamese admin: the email is in Vietnamese.
    assert message.subject.startswith("Bạn được mời tham gia")
    url = re.search(r"https?://\S+/organisations/invitations/[^/\s]+/", message.body)
    assert url
    path = url.group(0).split("://", 1)[1].split("/", 1)[1]
    path = "/" + path
    anonymous = Client().get(path)
    assert anonymous.status_code == 302
    assert "/accounts/login/" in anonymous["Location"]
    colleague_client = _client(_verified_user("col@example.com"))
    assert colleague_client.get(path).status_code == 200
    assert colleague_client.post(path).status_code == 302
    assert Membership.objects.filter(user__email="col@example.com").exists()
    again = colleague_client.post(path)
    assert again.status_code == 410


def test_members_page_refusals_are_4xx_and_translated(org, owner):
    client = _client(owner)
    response = client.post(
        MEMBERS_URL,
        {"organisation": org.public_id, "action": "remove", "user": owner.pk},
        HTTP_ACCEPT_LANGUAGE="vi",
    )
    assert response.status_code == 409
    assert "Chủ sở hữu cuối cùng không thể rời đi" in response.content.decode()
    assert Membership.objects.filter(user=owner).exists()
    response = client.post(
        MEMBERS_URL, {"organisation": org.public_id, "action": "remove", "user": "x"}
    )
    assert response.status_code == 400


def test_members_page_reads_ids_in_ascii_digits_only(org, owner):
    # Full-width digits are refused everywhere else (tax codes); int() would
    # read them, so "１" must not name invitation or user 1 here either.
    editor = member(org)
    issued = invitation_create(organisation=org, by=owner, email="col@example.com")
    client = _client(owner)
    full_width = str.maketrans("0123456789", "０１２３４５６７８９")
    response = client.post(
        MEMBERS_URL,
        {
            "organisation": org.public_id,
            "action": "revoke",
            "invitation": str(issued.invitation.pk).translate(full_width),
        },
    )
    assert response.status_code == 400
    issued.invitation.refresh_from_db()
    assert issued.invitation.revoked_at is None
    response = client.post(
        MEMBERS_URL,
        {
            "organisation": org.public_id,
            "action": "remove",
            "user": str(editor.pk).translate(full_width),
        },
    )
    assert response.status_code == 400
    assert Membership.objects.filter(user=editor, organisation=org).exists()


def test_outsider_and_editor_get_404_on_members_page(org, owner):
    other = onboarded_organisation()
    other_owner = member(other, Membership.Role.OWNER)
    assert (
        _client(other_owner)
        .get(f"{MEMBERS_URL}?organisation={org.public_id}")
        .status_code
        == 404
    )
    response = _client(other_owner).post(
        MEMBERS_URL,
        {"organisation": org.public_id, "action": "invite", "email": "x@example.com"},
    )
    assert response.status_code == 404
    assert not Invitation.objects.exists()
    assert _client(member(org)).get(MEMBERS_URL).status_code == 404
    unverified = OrganisationFactory(verified_at=None)
    # Refused with a reason: the organisation waits for verification.
    assert (
        _client(member(unverified, Membership.Role.OWNER)).get(MEMBERS_URL).status_code
        == 403
    )


def test_invitation_mail_server_down_is_503_translated_and_keeps_nothing(
    org, owner, settings
):
    # A real SMTP backend aimed at a loopback port nobody listens on: the
    # connection is refused as it would be when the mail relay is down.
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = closed_port
    settings.EMAIL_TIMEOUT = 2
    response = _client(owner).post(
        MEMBERS_URL,
        {"organisation": org.public_id, "action": "invite", "email": "col@example.com"},
        HTTP_ACCEPT_LANGUAGE="vi",
    )
    assert response.status_code == 503
    assert "Không gửi được thư mời" in response.content.decode()
    assert not Invitation.objects.filter(organisation=org).exists()
