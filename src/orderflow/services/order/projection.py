"""What OrderStatusService's decisions read and change: each order's status and seen events."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import NamedTuple

from orderflow.events.ids import OrderId
from orderflow.services.order.status import Facts, Progress, Status


class Tracked(NamedTuple):
    """What OrderStatusService knows of one order: its status and the event types seen."""

    status: Status
    facts: Facts


@dataclass(frozen=True)
class Advance:
    """An order's status moved on (or only its seen events grew)."""

    order_id: OrderId
    progress: Progress
    at: datetime


@dataclass
class StatusView:
    """The tracked orders among some order ids; an order absent here is not known."""

    tracked: dict[OrderId, Tracked] = field(default_factory=dict)

    def fold(self, change: Advance) -> None:
        self.tracked[change.order_id] = Tracked(change.progress.status, change.progress.facts)
