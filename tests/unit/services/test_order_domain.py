from __future__ import annotations

import pytest

from orderflow.events.ids import ItemId, OrderId
from orderflow.services.order.catalogue import PRICES_CENTS
from orderflow.services.order.domain import OrderRejected, place_order
from orderflow.services.order.status import Status

from .stamps import AT, stamp

_ORDER = OrderId("5b1f0a3e-8c8e-4f5a-9a55-3f0c7b1d2e11")


def test_places_an_order_priced_from_the_catalogue() -> None:
    order, event = place_order(_ORDER, "123", ["item1", "item2", "item1"], PRICES_CENTS, stamp())

    assert order.total_cents == 2 * PRICES_CENTS[ItemId("item1")] + PRICES_CENTS[ItemId("item2")]
    assert order.status is Status.ORDER_CREATED
    assert event.order_id == _ORDER
    assert event.items == ("item1", "item2", "item1")
    assert event.total_cents == order.total_cents
    assert event.occurred_at == AT


@pytest.mark.parametrize(
    ("user", "items", "field"),
    [
        ("", ["item1"], "userId"),
        ("   ", ["item1"], "userId"),
        ("123", [], "items"),
        ("123", ["item1", "item9"], "items[1]"),
    ],
)
def test_rejects_bad_orders_naming_the_field(user: str, items: list[str], field: str) -> None:
    with pytest.raises(OrderRejected) as rejected:
        place_order(_ORDER, user, items, PRICES_CENTS, stamp())

    assert rejected.value.field == field
