"""Issue 11.1: a second review flag must not hide the first (the review log)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from organisations.services import province_staff_group_ensure
from shop.models import OrderFulfilment
from shop.services.review import order_flag_review
from tests.factories import UserFactory
from tests.factories import shop as shop_factories

from .conftest import place

pytestmark = pytest.mark.django_db


def test_two_flags_make_two_entries_both_shown_on_the_admin_order_page(client):
    rice = shop_factories.variant(price=150_000, on_hand=10)
    order = place({rice: 1})
    # Long notes: the order's one summary column (255 characters) cannot hold
    # both, so only a log keeps the second problem visible.
    first = "Chuyển khoản FT001 thiếu 10.000 ₫ so với tổng đơn. " + "x" * 180
    second = "Chuyển khoản FT002 đến sau khi đơn đã được thanh toán."
    order_flag_review(order=order, reason="underpaid", note=first)
    order_flag_review(order=order, reason="second_transfer", note=second)

    # Only the function of main's code is imported, so this fails there as an
    # assertion, not an import error.
    entries = list(order.review_entries.all())
    assert [(e.reason, e.note) for e in entries] == [
        ("underpaid", first),
        ("second_transfer", second),
    ]
    order.refresh_from_db()
    assert order.needs_review
    assert "[underpaid]" in order.review_note  # the summary is still readable

    staff = UserFactory()
    staff.groups.add(province_staff_group_ensure())
    client.force_login(staff)
    part = OrderFulfilment.objects.get(order=order)
    html = client.get(
        reverse("shop_orders:inspect", args=[part.public_id])
    ).content.decode()
    assert "Lịch sử kiểm tra" in html
    assert "Chuyển khoản thấp hơn tổng đơn" in html  # translated labels
    assert "Chuyển khoản lần thứ hai cho đơn" in html
    assert first in html
    assert second in html
    assert html.index("FT001") < html.index("FT002")  # oldest first
