"""A new seller's shipping policy: the province programme's defaults."""

from __future__ import annotations

from django.db import transaction

from ..models import ShippingPolicy

# Whole đồng (shop.money): a flat fee per order, free from a subtotal upwards.
# The owner changes them in the shop settings.
DEFAULT_FLAT_FEE_VND = 30_000
DEFAULT_FREE_OVER_VND = 500_000


@transaction.atomic
def shipping_policy_defaults_ensure(*, organisation_id: int) -> ShippingPolicy:
    """The organisation's shipping policy, with the defaults if it had none.

    Idempotent: an existing policy (perhaps already changed by the owner) is
    returned unchanged.
    """
    policy, _created = ShippingPolicy.objects.get_or_create(
        organisation_id=organisation_id,
        defaults={
            "flat_fee": DEFAULT_FLAT_FEE_VND,
            "free_over": DEFAULT_FREE_OVER_VND,
        },
    )
    return policy


SHIPPING_FIELDS = (
    "flat_fee",
    "free_over",
    "accepts_card",
    "accepts_vietqr",
    "accepts_cod",
)


@transaction.atomic
def shipping_policy_update(
    *, policy: ShippingPolicy, values: dict, may_set_cod_limit: bool
) -> ShippingPolicy:
    """Save a brand's shipping terms; only staff move the COD limit.

    ``values`` are a validated form's cleaned data. The cart reads the policy
    on every pricing, so the next checkout uses the new terms; orders already
    placed keep the fee they were priced with.
    """
    locked = ShippingPolicy.objects.select_for_update().get(pk=policy.pk)
    fields = list(SHIPPING_FIELDS)
    if may_set_cod_limit:
        fields.append("cod_limit")
    for name in fields:
        setattr(locked, name, values[name])
    locked.save(update_fields=fields)
    return locked
