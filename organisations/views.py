"""Owners manage members in the admin; invited colleagues accept on the site."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from .emails import invitation_email_send
from .errors import OrganisationError
from .members import (
    invitation_accept,
    invitation_create,
    invitation_for_token,
    invitation_revoke,
    member_remove,
    open_invitations,
    ownership_transfer,
)
from .models import Invitation, Membership, Organisation


def owned_verified_organisations(user):
    return Organisation.objects.verified().filter(
        memberships__user=user, memberships__role=Membership.Role.OWNER
    )


@require_http_methods(["GET", "POST"])
def members(request: HttpRequest) -> HttpResponse:
    owned = owned_verified_organisations(request.user).order_by("legal_name")
    wanted = request.POST.get("organisation") or request.GET.get("organisation")
    if wanted:
        organisation = (
            owned.filter(public_id=wanted).first() if _is_uuid(wanted) else None
        )
    else:
        organisation = owned.first()
    if organisation is None:
        raise Http404
    status = 200
    if request.method == "POST":
        try:
            _act(request, organisation)
        except OrganisationError as error:
            messages.error(request, str(error.message))
            status = error.status
        else:
            return redirect(f"{request.path}?organisation={organisation.public_id}")
    context = {
        "organisation": organisation,
        "owned": owned,
        "memberships": organisation.memberships.select_related("user").order_by(
            "role", "user__email"
        ),
        "invitations": open_invitations(organisation=organisation),
    }
    return render(request, "organisations/admin/members.html", context, status=status)


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


def _form_id(value: str) -> int | None:
    """An id posted in the form body, or None; ASCII digits only.

    ``str.isdigit`` also accepts full-width and other Unicode digits, which
    ``int()`` would then read: one rule for numbers typed anywhere.
    """
    # Longer than a 64-bit id is no id: the database would overflow (a 500).
    if value.isascii() and value.isdigit() and len(value) <= 18:
        return int(value)
    return None


def _member(organisation: Organisation, user_id: str):
    membership = (
        organisation.memberships.select_related("user")
        .filter(user_id=_form_id(user_id))
        .first()
    )
    if membership is None:
        raise OrganisationError(_("This person is not a member."))
    return membership.user


def _act(request: HttpRequest, organisation: Organisation) -> None:
    action = request.POST.get("action", "")
    user = request.user
    if action == "invite":
        # One transaction: an invitation whose email never left is not kept.
        with transaction.atomic():
            issued = invitation_create(
                organisation=organisation,
                by=user,
                email=request.POST.get("email", ""),
                language=translation.get_language() or "",
            )
            invitation_email_send(issued=issued)
        messages.success(
            request,
            _("Invitation sent to %(email)s.") % {"email": issued.invitation.email},
        )
    elif action == "revoke":
        invitation = Invitation.objects.filter(
            organisation=organisation, pk=_form_id(request.POST.get("invitation", ""))
        ).first()
        if invitation is None:
            raise OrganisationError(_("This invitation does not exist."))
        invitation_revoke(invitation=invitation, by=user)
        messages.success(request, _("Invitation withdrawn."))
    elif action == "remove":
        member_remove(
            organisation=organisation,
            by=user,
            user=_member(organisation, request.POST.get("user", "")),
        )
        messages.success(request, _("Member removed."))
    elif action == "transfer":
        ownership_transfer(
            organisation=organisation,
            by=user,
            to_user=_member(organisation, request.POST.get("user", "")),
        )
        messages.success(request, _("Ownership transferred."))
    else:
        raise OrganisationError()


@require_http_methods(["GET", "POST"])
def invitation_accept_view(request: HttpRequest, token: str) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    try:
        invitation = invitation_for_token(token=token)
        if request.method == "POST":
            invitation_accept(token=token, user=request.user)
            messages.success(
                request,
                _("You are now an editor of %(organisation)s.")
                % {"organisation": invitation.organisation.display_name},
            )
            return redirect("/admin/")
    except OrganisationError as error:
        return render(
            request,
            "organisations/invitation_accept.html",
            {"error": error.message},
            status=error.status,
        )
    return render(
        request, "organisations/invitation_accept.html", {"invitation": invitation}
    )
