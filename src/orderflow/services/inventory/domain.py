"""Stock decisions: reserve all of an order's items or none, and give them back.

Also the view those decisions read (``StockView``) and the changes they make
(``StockMove``), all plain data.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime

from orderflow.events.ids import ItemId, OrderId, UserId
from orderflow.events.model import (
    InventoryRejected,
    InventoryReleased,
    InventoryReserved,
    OrderCreated,
    event_about,
)
from orderflow.events.stamp import Stamp


@dataclass(frozen=True)
class Reservation:
    """What one order holds; ``released`` once given back."""

    order_id: OrderId
    user_id: UserId
    items: tuple[ItemId, ...]
    total_cents: int
    released: bool = False

    @property
    def quantities(self) -> dict[ItemId, int]:
        return dict(Counter(self.items))

    def moved(self) -> dict[ItemId, int]:
        """How many of each item this moves from available to reserved (negative: back)."""
        sign = -1 if self.released else 1
        return {item: sign * n for item, n in self.quantities.items()}


def reserve(
    order: OrderCreated, available: Mapping[ItemId, int], stamp: Stamp
) -> tuple[Reservation | None, InventoryReserved | InventoryRejected]:
    """Reserve every item of ``order`` from ``available`` stock, or nothing at all."""
    held = Reservation(order.order_id, order.user_id, order.items, order.total_cents)
    short = [
        f"{item} (wanted {count}, available {available.get(item, 0)})"
        for item, count in sorted(held.quantities.items())
        if available.get(item, 0) < count
    ]
    if short:
        reason = "out of stock: " + ", ".join(short)
        return None, event_about(InventoryRejected, held, stamp, reason=reason)
    return held, event_about(InventoryReserved, held, stamp)


def release(held: Reservation | None, stamp: Stamp) -> InventoryReleased | None:
    """Give back what an order holds; nothing to do if it holds nothing or gave it back."""
    if held is None or held.released:
        return None
    return event_about(InventoryReleased, held, stamp)


@dataclass(frozen=True)
class StockMove:
    """An order's reservation as it stands after the move: held, or ``released`` again.

    Held, its items go from available to reserved; released, back again.
    """

    reservation: Reservation
    at: datetime


@dataclass
class Level:
    available: int
    reserved: int


@dataclass
class StockView:
    """The stock of some items and the reservations of some orders."""

    stock: dict[ItemId, Level] = field(default_factory=dict)
    reservations: dict[OrderId, Reservation] = field(default_factory=dict)

    def available(self, items: Iterable[ItemId]) -> dict[ItemId, int]:
        return {i: self.stock[i].available for i in items if i in self.stock}

    def fold(self, change: StockMove) -> None:
        held = change.reservation
        for item, n in held.moved().items():
            level = self.stock[item]
            level.available -= n
            level.reserved += n
        self.reservations[held.order_id] = held


# Stock before any order, as the original has it (migration 0003 seeds the same).
INITIAL_STOCK: Mapping[ItemId, int] = {ItemId("item1"): 10, ItemId("item2"): 5, ItemId("item3"): 0}
