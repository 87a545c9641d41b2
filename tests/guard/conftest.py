from __future__ import annotations

from dataclasses import dataclass

import pytest
from wagtail.models import TaskState, WorkflowState

from shop.models import OrderFulfilment, StockRecord
from tests.factories.guard import (
    House,
    build_house,
    moderated_index,
    province_staff_user,
)
from tests.factories.shop import order_part


@dataclass
class Houses:
    a: House
    b: House
    staff: object
    b_workflow_state: WorkflowState
    b_task_state: TaskState
    b_order_part: OrderFulfilment  # a paid order's part, for the shop admin


@pytest.fixture
def houses(site_pages) -> Houses:
    """Brands A and B under a moderated brand index; B's draft awaits review."""
    index = moderated_index(site_pages)
    a = build_house(index, "A")
    b = build_house(index, "B")
    staff = province_staff_user()
    workflow_state = b.draft.get_workflow().start(b.draft, b.editor)
    StockRecord.objects.create(variant=b.variant, quantity_on_hand=7)
    part = order_part(
        organisation=b.organisation, brand_title=b.brand.title, marker=b.marker
    )
    return Houses(
        a=a,
        b=b,
        staff=staff,
        b_workflow_state=workflow_state,
        b_task_state=workflow_state.current_task_state,
        b_order_part=part,
    )
