"""One permission policy for the shop's admin screens, built on ``shop.permissions``.

Wagtail's model permissions are model-wide; an organisation's member must see
only the rows of their own organisations. So the policy answers "may use the
shop admin at all" from ``user_sees_shop_admin`` and scopes every queryset
with the matching ``*_visible_to`` function: a view that looks an object up
in ``instances_user_has_permission_for`` answers 404 for another
organisation's id, never a 403 that would confirm the id exists.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Model, QuerySet
from wagtail.permission_policies.base import BasePermissionPolicy

from ..models import OrderFulfilment
from ..permissions import AnyUser, user_may_refund, user_sees_shop_admin

REFUND = "refund"

Visible = Callable[..., QuerySet[Any]]


def request_user_sees_shop_admin(user: AnyUser) -> bool:
    """``user_sees_shop_admin`` once per user object (so once per request): the
    menu items, the home panel and every view ask, and each answer costs queries."""
    shown = getattr(user, "_shop_admin_shown", None)
    if shown is None:
        shown = user_sees_shop_admin(user=user)
        user._shop_admin_shown = shown  # type: ignore[union-attr]
    return bool(shown)


class ShopPermissionPolicy(BasePermissionPolicy):
    """Rows of ``model`` that ``visible(user=...)`` returns, for every action;
    ``"refund"`` additionally needs ``user_may_refund`` (owners and staff)."""

    def __init__(self, model: type[Model], *, visible: Visible) -> None:
        super().__init__(model)
        self.visible = visible

    def user_has_permission(self, user: AnyUser, action: str) -> bool:
        return request_user_sees_shop_admin(user)

    def user_has_any_permission(self, user: AnyUser, actions: Iterable[str]) -> bool:
        return request_user_sees_shop_admin(user)

    def instances_user_has_any_permission_for(
        self, user: AnyUser, actions: Iterable[str]
    ) -> QuerySet[Any]:
        rows = self.visible(user=user)
        if not request_user_sees_shop_admin(user):
            return rows.none()
        if set(actions) == {REFUND}:
            mine = [row.pk for row in rows if self._may_refund(user, row)]
            return rows.filter(pk__in=mine)
        return rows

    def user_has_permission_for_instance(
        self, user: AnyUser, action: str, instance: Model
    ) -> bool:
        return self.user_has_any_permission_for_instance(user, [action], instance)

    def user_has_any_permission_for_instance(
        self, user: AnyUser, actions: Iterable[str], instance: Model
    ) -> bool:
        actions = set(actions)
        if not self.visible(user=user).filter(pk=instance.pk).exists():
            return False
        if actions == {REFUND}:
            return self._may_refund(user, instance)
        return request_user_sees_shop_admin(user)

    def users_with_any_permission(self, actions: Iterable[str]) -> QuerySet[Any]:
        # Nobody is notified through this policy; memberships decide, per row.
        return get_user_model().objects.none()

    @staticmethod
    def _may_refund(user: AnyUser, instance: Model) -> bool:
        return isinstance(instance, OrderFulfilment) and user_may_refund(
            user=user, fulfilment=instance
        )
