"""An organisation's members: invitations, removal and ownership transfer.

Owners of a verified organisation invite colleagues by email as editors. The
emailed token is a secret; only its SHA-256 is stored. Every change that
touches membership also touches the organisation's Wagtail group, in the same
transaction, so a removed editor loses the admin at once.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .errors import (
    InvitationInvalid,
    InvitationRefused,
    MemberChangeRefused,
    MembersNotAllowed,
)
from .models import Invitation, Membership, Organisation
from .services import membership_add


@dataclass(frozen=True)
class IssuedInvitation:
    invitation: Invitation
    token: str  # the secret for the email; never stored


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def user_is_owner(*, organisation: Organisation, user: AbstractUser) -> bool:
    return Membership.objects.filter(
        organisation=organisation, user=user, role=Membership.Role.OWNER
    ).exists()


def _require_owner(*, organisation: Organisation, by: AbstractUser) -> None:
    if not organisation.is_verified or not user_is_owner(
        organisation=organisation, user=by
    ):
        raise MembersNotAllowed()


def open_invitations(*, organisation: Organisation):
    return Invitation.objects.filter(
        organisation=organisation,
        accepted_at__isnull=True,
        revoked_at__isnull=True,
        expires_at__gt=timezone.now(),
    )


@transaction.atomic
def invitation_create(
    *, organisation: Organisation, by: AbstractUser, email: str, language: str = ""
) -> IssuedInvitation:
    """Invite ``email`` as an editor; returns the invitation and its secret token."""
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    _require_owner(organisation=organisation, by=by)
    email = email.strip()
    if not email:
        raise InvitationRefused(_("Enter the colleague's email address."))
    try:
        validate_email(email)
    except ValidationError:
        # Django's own message (and translation): the invitation is never
        # written or sent to a value that is no address.
        raise InvitationRefused(_("Enter a valid email address.")) from None
    if Membership.objects.filter(
        organisation=organisation, user__email__iexact=email
    ).exists():
        raise InvitationRefused(_("This person is already a member."))
    if open_invitations(organisation=organisation).filter(email__iexact=email).exists():
        raise InvitationRefused(_("An open invitation for this email already exists."))
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        organisation=organisation,
        email=email,
        role=Membership.Role.EDITOR,
        token_hash=token_hash(token),
        invited_by=by,
        language=language,
        expires_at=timezone.now()
        + timedelta(days=settings.ORGANISATION_INVITATION_DAYS),
    )
    return IssuedInvitation(invitation=invitation, token=token)


def invitation_for_token(*, token: str) -> Invitation:
    """The open invitation behind ``token``, or ``InvitationInvalid`` saying why not."""
    invitation = (
        Invitation.objects.select_related("organisation")
        .filter(token_hash=token_hash(token))
        .first()
    )
    return _check_open(invitation)


def _check_open(invitation: Invitation | None) -> Invitation:
    if invitation is None:
        raise InvitationInvalid()
    if invitation.accepted_at is not None:
        raise InvitationInvalid(_("This invitation has already been used."))
    if invitation.revoked_at is not None:
        raise InvitationInvalid(_("This invitation was withdrawn by the organisation."))
    if invitation.expires_at <= timezone.now():
        raise InvitationInvalid(
            _("This invitation has expired. Ask the owner for a new one.")
        )
    return invitation


@transaction.atomic
def invitation_accept(*, token: str, user: AbstractUser) -> Membership:
    """Make ``user`` an editor through the invitation; single use."""
    invitation = (
        Invitation.objects.select_for_update()
        .filter(token_hash=token_hash(token))
        .first()
    )
    invitation = _check_open(invitation)
    # The invitation went to one mailbox: only its proven owner may use it.
    if not EmailAddress.objects.filter(
        user=user, email__iexact=invitation.email, verified=True
    ).exists():
        raise InvitationRefused(
            _(
                "This invitation was sent to another email address. Sign in with "
                "that address, verified, to accept it."
            )
        )
    if not invitation.organisation.is_verified:
        raise InvitationInvalid()
    if Membership.objects.filter(
        organisation=invitation.organisation, user=user
    ).exists():
        raise InvitationRefused(_("You are already a member of this organisation."))
    membership = membership_add(
        organisation=invitation.organisation, user=user, role=invitation.role
    )
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    return membership


@transaction.atomic
def invitation_revoke(*, invitation: Invitation, by: AbstractUser) -> Invitation:
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    _require_owner(organisation=invitation.organisation, by=by)
    if invitation.accepted_at is not None:
        raise InvitationRefused(_("This invitation has already been used."))
    if invitation.revoked_at is None:
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])
    return invitation


@transaction.atomic
def member_remove(
    *, organisation: Organisation, by: AbstractUser, user: AbstractUser
) -> None:
    """Remove ``user``; they leave the organisation's Wagtail group at once."""
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    _require_owner(organisation=organisation, by=by)
    membership = Membership.objects.filter(organisation=organisation, user=user).first()
    if membership is None:
        raise MemberChangeRefused(_("This person is not a member."))
    if (
        membership.role == Membership.Role.OWNER
        and not Membership.objects.filter(
            organisation=organisation, role=Membership.Role.OWNER
        )
        .exclude(pk=membership.pk)
        .exists()
    ):
        raise MemberChangeRefused(
            _(
                "The last owner cannot leave. Transfer ownership to another "
                "member first."
            )
        )
    membership.delete()
    if organisation.group_id is not None:
        user.groups.remove(organisation.group_id)


@transaction.atomic
def ownership_transfer(
    *, organisation: Organisation, by: AbstractUser, to_user: AbstractUser
) -> Membership:
    """Make ``to_user`` the owner; ``by`` stays on as an editor."""
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    _require_owner(organisation=organisation, by=by)
    if to_user.pk == by.pk:
        raise MemberChangeRefused(_("You are already the owner."))
    target = (
        Membership.objects.select_for_update()
        .filter(organisation=organisation, user=to_user)
        .first()
    )
    if target is None:
        raise MemberChangeRefused(
            _("Ownership can only go to a member of the organisation.")
        )
    Membership.objects.filter(organisation=organisation, user=by).update(
        role=Membership.Role.EDITOR
    )
    target.role = Membership.Role.OWNER
    target.save(update_fields=["role"])
    return target
