"""What the OrderStatusService handlers need from storage (StatusStore, or a fake)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from orderflow.events.ids import OrderId
from orderflow.services.order.status import Progress, Status


@dataclass(frozen=True)
class Tracked:
    status: Status
    facts: frozenset[str]


class Statuses(Protocol):
    def load(self, order_id: OrderId) -> Tracked | None: ...
    def save(self, order_id: OrderId, progress: Progress, occurred_at: datetime) -> None: ...
