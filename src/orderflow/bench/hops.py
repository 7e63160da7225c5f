"""The legs of an order's way to ``Paid``, timed from the events' own timestamps."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from orderflow.bench.records import Followed, Placement
from orderflow.services.order.status import Status


@dataclass(frozen=True)
class Hop:
    name: str
    # Seconds the hop took for one order, or None when it did not take it.
    took: Callable[[Placement, Followed], float | None]


def _between(earlier: Status, later: Status) -> Callable[[Placement, Followed], float | None]:
    def took(_: Placement, followed: Followed) -> float | None:
        first, second = followed.history.get(earlier), followed.history.get(later)
        return None if first is None or second is None else second.occurred_at - first.occurred_at

    return took


def _placed(placement: Placement, followed: Followed) -> float | None:
    created = followed.history.get(Status.ORDER_CREATED)
    return None if created is None else created.occurred_at - placement.scheduled_at


def _projected(_: Placement, followed: Followed) -> float | None:
    paid = followed.history.get(Status.PAID)
    return None if paid is None else paid.recorded_at - paid.occurred_at


HOPS = (
    # Client queueing, HTTP and the order's own transaction (state + outbox).
    Hop(f"due → {Status.ORDER_CREATED}", _placed),
    # Each of these is outbox → Debezium → Kafka → consumer → transaction.
    *(
        Hop(f"{earlier} → {later}", _between(earlier, later))
        for earlier, later in (
            (Status.ORDER_CREATED, Status.INVENTORY_CONFIRMED),
            (Status.INVENTORY_CONFIRMED, Status.SHIPPED),
            (Status.SHIPPED, Status.PAID),
        )
    ),
    # Payment's outbox → Kafka → OrderStatusService writing the status table.
    Hop(f"{Status.PAID} → visible in status", _projected),
)
