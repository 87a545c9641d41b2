import csv
import io
import uuid

import pytest
from django.core import mail
from django.urls import reverse
from openpyxl import load_workbook

from organisations.models import Membership
from organisations.services import province_staff_group_ensure
from shop.models import Order, OrderFulfilment, PayableEntry, StockRecord
from tests.factories import UserFactory, member, onboarded_organisation
from tests.factories import shop as shop_factories

from .conftest import DETAILS, place
from .webhook_helpers import pi_event, send

pytestmark = pytest.mark.django_db


def _detail(fulfilment) -> str:
    return reverse("shop_orders:inspect", args=[fulfilment.public_id])


@pytest.fixture
def shop(webhook_secret):
    org_a = onboarded_organisation()
    org_b = onboarded_organisation()
    brand_a = shop_factories.brand(organisation=org_a)
    brand_b = shop_factories.brand(organisation=org_b)
    rice = shop_factories.variant(brand_page=brand_a, price=150_000, on_hand=10)
    sauce = shop_factories.variant(brand_page=brand_b, price=120_000, on_hand=4)
    editor_a = member(org_a, Membership.Role.EDITOR)
    owner_a = member(org_a, Membership.Role.OWNER)
    editor_b = member(org_b, Membership.Role.EDITOR)
    order = place({rice: 2, sauce: 1})
    Order.objects.filter(pk=order.pk).update(payment_intent_id="pi_admin")
    order.refresh_from_db()
    send(pi_event("evt_admin_paid", "payment_intent.succeeded", order))
    return {
        "org_a": org_a,
        "org_b": org_b,
        "rice": rice,
        "sauce": sauce,
        "editor_a": editor_a,
        "owner_a": owner_a,
        "editor_b": editor_b,
        "order": order,
        "part_a": OrderFulfilment.objects.get(order=order, organisation=org_a),
        "part_b": OrderFulfilment.objects.get(order=order, organisation=org_b),
    }


def test_each_organisation_is_emailed_its_own_lines(shop):
    notices = {tuple(sorted(m.to)): m for m in mail.outbox[1:]}
    assert len(mail.outbox) == 3
    notice_a = next(m for m in mail.outbox if shop["editor_a"].email in m.to)
    assert shop["rice"].sku in notice_a.body
    assert shop["sauce"].sku not in notice_a.body
    assert shop["editor_b"].email not in notice_a.to
    assert notices


def test_members_see_only_their_organisations_order_parts(client, shop):
    client.force_login(shop["editor_a"])
    html = client.get(reverse("shop_orders:index")).content.decode()
    assert shop["order"].number in html
    assert _detail(shop["part_a"]) in html
    assert str(shop["part_b"].public_id) not in html
    other = _detail(shop["part_b"])
    assert client.get(other).status_code == 404
    own = client.get(_detail(shop["part_a"]))
    assert shop["rice"].sku in own.content.decode()
    assert shop["sauce"].sku not in own.content.decode()


def test_order_detail_url_carries_the_public_uuid_and_foreign_ones_are_404(
    client, shop
):
    part_a, part_b = shop["part_a"], shop["part_b"]
    url = _detail(part_a)
    assert url == f"/admin/shop/orders/{part_a.public_id}/"
    assert f"/{part_a.pk}/" not in url
    client.force_login(shop["editor_a"])
    assert client.get(url).status_code == 200
    # Another organisation's real UUID and an unknown one answer alike: 404,
    # for reading and for both forms, and B's part stays untouched.
    for foreign in (_detail(part_b), f"/admin/shop/orders/{uuid.uuid4()}/"):
        assert client.get(foreign).status_code == 404
        for action in ("fulfilment", "refund"):
            response = client.post(
                foreign, {"action": action, "status": "cancelled", "amount": "1"}
            )
            assert response.status_code == 404
    part_b.refresh_from_db()
    assert part_b.status == "new"
    assert shop["order"].refunds.count() == 0
    # The old query-string address is gone.
    assert (
        client.get(f"/admin/shop/orders/view/?order={part_a.public_id}").status_code
        == 404
    )


def test_owner_sees_the_refund_form_editor_does_not(client, shop):
    client.force_login(shop["owner_a"])
    assert 'value="refund"' in client.get(_detail(shop["part_a"])).content.decode()
    client.force_login(shop["editor_a"])
    assert 'value="refund"' not in client.get(_detail(shop["part_a"])).content.decode()


def test_province_staff_see_all_parts(client, shop):
    staff = UserFactory()
    staff.groups.add(province_staff_group_ensure())
    client.force_login(staff)
    html = client.get(reverse("shop_orders:index")).content.decode()
    assert str(shop["part_a"].public_id) in html
    assert str(shop["part_b"].public_id) in html


def test_buyers_without_organisation_are_refused(client, shop):
    client.force_login(UserFactory())
    assert client.get(reverse("shop_orders:index")).status_code in (302, 403)


def test_fulfilment_moves_forward_and_shipping_needs_tracking(client, shop):
    client.force_login(shop["editor_a"])
    url = _detail(shop["part_a"])
    response = client.post(url, {"action": "fulfilment", "status": "shipped"})
    assert response.status_code == 200
    shop["part_a"].refresh_from_db()
    assert shop["part_a"].status == "new"
    client.post(
        url,
        {
            "action": "fulfilment",
            "status": "shipped",
            "carrier": "VNPost",
            "tracking_number": "EB123",
        },
    )
    shop["part_a"].refresh_from_db()
    assert (shop["part_a"].status, shop["part_a"].tracking_number) == (
        "shipped",
        "EB123",
    )
    client.post(url, {"action": "fulfilment", "status": "new"})
    shop["part_a"].refresh_from_db()
    assert shop["part_a"].status == "shipped"
    shop["part_b"].refresh_from_db()
    assert shop["part_b"].status == "new"


def test_editors_cannot_refund(client, shop):
    client.force_login(shop["editor_a"])
    url = _detail(shop["part_a"])
    response = client.post(url, {"action": "refund", "amount": "1000"})
    # Wagtail turns PermissionDenied into a redirect to the dashboard.
    assert (response.status_code, response.get("Location")) == (302, "/admin/")
    assert shop["order"].refunds.count() == 0


def test_exports_neutralise_formulas(client, shop):
    Order.objects.filter(pk=shop["order"].pk).update(
        recipient_name='=HYPERLINK("http://evil")', notes="+SUM(A1)"
    )
    client.force_login(shop["editor_a"])
    response = client.get(reverse("shop_orders:index") + "?export=csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][0] == "order"
    assert rows[1][11] == '\'=HYPERLINK("http://evil")'
    assert rows[1][14] == "'+SUM(A1)"
    assert len(rows) == 2  # only organisation A's line
    xlsx = client.get(reverse("shop_orders:index") + "?export=xlsx")
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    cells = [cell for row in sheet.iter_rows() for cell in row]
    assert not [cell for cell in cells if cell.data_type == "f"]
    assert sheet.cell(row=2, column=12).value == '\'=HYPERLINK("http://evil")'


def test_statement_balances_sales_fees_and_shipping(client, shop, settings):
    client.force_login(shop["owner_a"])
    response = client.get(
        reverse("shop_statement:index"),
        {"organisation": shop["org_a"].pk, "start": "2000-01-01", "end": "2100-01-01"},
    )
    assert response.status_code == 200
    # 2 × 150,000 sale − 5 % fee + 30,000 shipping (A's subtotal is under 500,000).
    assert response.context["totals"]["balance"] == 300_000 - 15_000 + 30_000
    other = client.get(
        reverse("shop_statement:index"),
        {"organisation": shop["org_b"].pk, "start": "2000-01-01", "end": "2100-01-01"},
    )
    assert other.context["entries"] is None  # not a choice for organisation A
    assert PayableEntry.objects.filter(organisation=shop["org_b"]).exists()


def test_low_stock_panel_and_stock_update(client, shop):
    StockRecord.objects.filter(variant=shop["rice"]).update(
        quantity_on_hand=9, quantity_reserved=5
    )
    client.force_login(shop["editor_a"])
    dashboard = client.get(reverse("wagtailadmin_home")).content.decode()
    assert shop["rice"].sku in dashboard
    assert shop["sauce"].sku not in dashboard
    record = StockRecord.objects.get(variant=shop["rice"])
    url = reverse("shop_stock:update", args=[shop["rice"].public_id])
    assert url in client.get(reverse("shop_stock:index")).content.decode()
    client.post(url, {"quantity_on_hand": "4"})
    record.refresh_from_db()
    assert record.quantity_on_hand == 9  # below the 5 held: refused
    client.post(url, {"quantity_on_hand": "40"})
    record.refresh_from_db()
    assert record.quantity_on_hand == 40
    before = StockRecord.objects.get(variant=shop["sauce"]).quantity_on_hand
    other = reverse("shop_stock:update", args=[shop["sauce"].public_id])
    assert client.post(other, {"quantity_on_hand": "1"}).status_code == 404
    assert client.get(other).status_code == 404
    assert StockRecord.objects.get(variant=shop["sauce"]).quantity_on_hand == before


def test_paid_orders_by_period_selector(shop):
    from shop.selectors import paid_orders_by_period

    rows = paid_orders_by_period(period="quarter")
    assert len(rows) == 1
    assert rows[0].paid_orders == 1
    assert rows[0].revenue == shop["order"].total
    assert DETAILS.email == shop["order"].email


def test_shop_menu_asks_who_sees_the_shop_once_per_request(
    rf, django_assert_num_queries
):
    from wagtail import hooks

    from shop.wagtail_hooks import ShopMenuItem

    items = [
        item
        for item in (fn() for fn in hooks.get_hooks("register_admin_menu_item"))
        if isinstance(item, ShopMenuItem)
    ]
    # Orders, stock, payments received and shipping terms.
    assert len(items) == 4
    request = rf.get("/admin/")
    request.user = UserFactory()
    # A user outside every organisation: the first item asks the database.
    assert items[0].is_shown(request) is False
    with django_assert_num_queries(0):
        assert [item.is_shown(request) for item in items] == [False] * 4
