"""Who may see and change which orders. Every shop view and admin screen asks here.

Organisation members (owners and editors) see and update only the order parts
(``OrderFulfilment``) of their own organisations; province staff and
superusers see all. Refunds move money, so they need an owner or staff.
Buyers see their own orders: by account, or by the order's UUID link.
"""

from __future__ import annotations

import uuid

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet

from brands.selectors import variants_for_sale
from organisations.selectors import (
    organisations_for_user,
    user_is_owner,
    user_is_province_staff,
)

from .models import Order, OrderFulfilment, PayableEntry, ShippingPolicy, StockRecord

AnyUser = AbstractBaseUser | AnonymousUser


def fulfilments_visible_to(*, user: AnyUser) -> QuerySet[OrderFulfilment]:
    queryset = OrderFulfilment.objects.select_related("order", "organisation")
    if user_is_province_staff(user=user):
        return queryset
    return queryset.filter(organisation__in=organisations_for_user(user=user))


def user_sees_shop_admin(*, user: AnyUser) -> bool:
    return (
        user_is_province_staff(user=user) or organisations_for_user(user=user).exists()
    )


def user_may_refund(*, user: AnyUser, fulfilment: OrderFulfilment) -> bool:
    return user_is_province_staff(user=user) or user_is_owner(
        user=user, organisation=fulfilment.organisation
    )


def shipping_policies_visible_to(*, user: AnyUser) -> QuerySet[ShippingPolicy]:
    queryset = ShippingPolicy.objects.select_related("organisation")
    if user_is_province_staff(user=user):
        return queryset
    return queryset.filter(organisation__in=organisations_for_user(user=user))


def user_may_change_shipping(*, user: AnyUser, policy: ShippingPolicy) -> bool:
    """Fees and accepted payments are the brand's terms: its owners and staff."""
    return user_is_province_staff(user=user) or user_is_owner(
        user=user, organisation=policy.organisation
    )


def user_may_set_cod_limit(*, user: AnyUser) -> bool:
    """How much cash a courier may carry for a brand is the province's call."""
    return user_is_province_staff(user=user)


def payables_visible_to(*, user: AnyUser) -> QuerySet[PayableEntry]:
    if user_is_province_staff(user=user):
        return PayableEntry.objects.all()
    return PayableEntry.objects.filter(
        organisation__in=organisations_for_user(user=user)
    )


def stock_visible_to(*, user: AnyUser) -> QuerySet[StockRecord]:
    queryset = StockRecord.objects.select_related("variant", "variant__product")
    if user_is_province_staff(user=user):
        return queryset
    # A variant belongs to the organisation of its product's brand page, which
    # is the product page's parent; brands exposes the organisation id through
    # the selector, so filter by the variants that selector maps to the user's
    # organisations.
    organisation_ids = set(
        organisations_for_user(user=user).values_list("pk", flat=True)
    )
    if not organisation_ids:
        return queryset.none()
    public_ids = list(queryset.values_list("variant__public_id", flat=True))
    variants = variants_for_sale(public_ids=public_ids, language="vi")
    mine = [
        v.variant_id for v in variants.values() if v.organisation_id in organisation_ids
    ]
    return queryset.filter(variant_id__in=mine)


def order_for_buyer(*, user: AnyUser, public_id: uuid.UUID) -> Order | None:
    """The order behind a UUID link. Anyone holding the link of a guest order
    may see it (it is the buyer's receipt); an account's order only its owner."""
    order = Order.objects.filter(public_id=public_id).first()
    if order is None:
        return None
    if order.user_id is None:
        return order
    if getattr(user, "is_authenticated", False) and user.pk == order.user_id:
        return order
    return None
