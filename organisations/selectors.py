"""Read API of organisations: membership questions every other app asks."""

from __future__ import annotations

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet

from .models import Membership, Organisation
from .services import PROVINCE_STAFF_GROUP


def organisations_for_user(
    *, user: AbstractBaseUser | AnonymousUser
) -> QuerySet[Organisation]:
    if not getattr(user, "is_authenticated", False):
        return Organisation.objects.none()
    return Organisation.objects.filter(memberships__user=user).select_related("commune")


def membership_role(
    *, user: AbstractBaseUser | AnonymousUser, organisation: Organisation
) -> str | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return (
        Membership.objects.filter(user=user, organisation=organisation)
        .values_list("role", flat=True)
        .first()
    )


def user_is_member(
    *, user: AbstractBaseUser | AnonymousUser, organisation: Organisation
) -> bool:
    return membership_role(user=user, organisation=organisation) is not None


def user_is_owner(
    *, user: AbstractBaseUser | AnonymousUser, organisation: Organisation
) -> bool:
    return (
        membership_role(user=user, organisation=organisation) == Membership.Role.OWNER
    )


def user_is_province_staff(*, user: AbstractBaseUser | AnonymousUser) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return user.is_superuser or user.groups.filter(name=PROVINCE_STAFF_GROUP).exists()


def organisation_ids_user_may_edit(
    *, user: AbstractBaseUser | AnonymousUser
) -> frozenset[int] | None:
    """Organisations whose catalogue data (e.g. product variants) ``user`` may edit.

    ``None`` means every organisation (superusers and province staff). Owners
    and editors may edit their own organisations' data; anybody else nothing.
    """
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    if user_is_province_staff(user=user):
        return None
    return frozenset(
        Membership.objects.filter(user=user).values_list("organisation_id", flat=True)
    )
