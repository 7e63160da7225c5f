"""What the inventory handlers need from storage (InventoryStore, or a fake in tests)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Protocol

from orderflow.events.ids import ItemId, OrderId
from orderflow.services.inventory.domain import Reservation


class Stock(Protocol):
    def available(self, items: Iterable[ItemId]) -> dict[ItemId, int]: ...
    def reservation(self, order_id: OrderId) -> Reservation | None: ...
    def hold(self, held: Reservation, at: datetime) -> None: ...
    def give_back(self, held: Reservation, at: datetime) -> None: ...
