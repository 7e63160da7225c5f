"""The legs of an order's way to ``Paid``, timed from the events' own timestamps."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from orderflow.bench.records import Followed, Placement


@dataclass(frozen=True)
class Hop:
    name: str
    # Seconds the hop took for one order, or None when it did not take it.
    took: Callable[[Placement, Followed], float | None]


def _between(earlier: str, later: str) -> Callable[[Placement, Followed], float | None]:
    def took(_: Placement, followed: Followed) -> float | None:
        first, second = followed.history.get(earlier), followed.history.get(later)
        return None if first is None or second is None else second.occurred_at - first.occurred_at

    return took


def _placed(placement: Placement, followed: Followed) -> float | None:
    created = followed.history.get("Order Created")
    return None if created is None else created.occurred_at - placement.scheduled_at


def _projected(_: Placement, followed: Followed) -> float | None:
    paid = followed.history.get("Paid")
    return None if paid is None else paid.recorded_at - paid.occurred_at


HOPS = (
    # Client queueing, HTTP and the order's own transaction (state + outbox).
    Hop("due → Order Created", _placed),
    # Each of these is outbox → Debezium → Kafka → consumer → transaction.
    Hop("Order Created → Inventory Confirmed", _between("Order Created", "Inventory Confirmed")),
    Hop("Inventory Confirmed → Shipped", _between("Inventory Confirmed", "Shipped")),
    Hop("Shipped → Paid", _between("Shipped", "Paid")),
    # Payment's outbox → Kafka → OrderStatusService writing the status table.
    Hop("Paid → visible in status", _projected),
)
