from __future__ import annotations

from orderflow.events.ids import ItemId, OrderId, UserId
from orderflow.events.model import InventoryRejected, InventoryReserved, OrderCreated
from orderflow.services.inventory.domain import Reservation, release, reserve

from .stamps import stamp

STOCK = {ItemId("item1"): 10, ItemId("item2"): 5, ItemId("item3"): 0}


def _order(*items: str) -> OrderCreated:
    s = stamp(9)
    return OrderCreated(
        event_id=s.event_id,
        order_id=OrderId("2a4e2d1c-0d8d-4c1e-9e35-0d1f3a6b7c8d"),
        occurred_at=s.occurred_at,
        user_id=UserId("123"),
        items=tuple(ItemId(i) for i in items),
        total_cents=100,
    )


def test_reserves_every_item_when_all_are_in_stock() -> None:
    held, event = reserve(_order("item1", "item2", "item1"), STOCK, stamp())

    assert isinstance(event, InventoryReserved)
    assert held is not None
    assert held.quantities == {"item1": 2, "item2": 1}


def test_reserves_nothing_when_one_item_is_short_and_says_which() -> None:
    held, event = reserve(_order("item1", "item3"), STOCK, stamp())

    assert held is None
    assert isinstance(event, InventoryRejected)
    assert "item3 (wanted 1, available 0)" in event.reason
    assert "item1" not in event.reason


def test_counts_repeated_items_against_stock() -> None:
    _, event = reserve(_order(*["item2"] * 6), STOCK, stamp())

    assert isinstance(event, InventoryRejected)


def test_unknown_item_is_out_of_stock() -> None:
    _, event = reserve(_order("item42"), STOCK, stamp())

    assert isinstance(event, InventoryRejected)


def test_release_gives_back_once() -> None:
    held, _ = reserve(_order("item1"), STOCK, stamp())
    assert held is not None

    released = release(held, stamp(2))
    assert released is not None
    assert released.order_id == held.order_id
    gone = Reservation(held.order_id, held.user_id, held.items, held.total_cents, released=True)
    assert release(gone, stamp(3)) is None
    assert release(None, stamp(4)) is None
