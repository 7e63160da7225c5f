"""An order's status, derived from the event types seen for it so far.

Events for one order arrive on four topics with no order between topics, and
may be redelivered. So the status is a function of the *set* of event types
seen, and it only ever moves forward: a status never goes back to a lower
rank, and a terminal status never changes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum

from orderflow.events.model import (
    EventType,
    InventoryRejected,
    InventoryReleased,
    InventoryReserved,
    OrderCreated,
    PaymentCompleted,
    PaymentDeclined,
    ShipmentCancelled,
    ShipmentCreated,
)


class Status(StrEnum):
    ORDER_CREATED = "Order Created"
    INVENTORY_CONFIRMED = "Inventory Confirmed"
    INVENTORY_FAILED = "Inventory Failed"
    SHIPPED = "Shipped"
    PAID = "Paid"
    PAYMENT_FAILED = "Payment Failed"
    CANCELLED = "Cancelled"


TERMINAL = frozenset({Status.PAID, Status.INVENTORY_FAILED, Status.CANCELLED})

# How far along each status is; a history never steps to a lower rank.
RANK = {
    Status.ORDER_CREATED: 0,
    Status.INVENTORY_CONFIRMED: 1,
    Status.SHIPPED: 2,
    Status.PAYMENT_FAILED: 3,
    Status.PAID: 4,
    Status.INVENTORY_FAILED: 4,
    Status.CANCELLED: 4,
}

Facts = frozenset[EventType]
"""The event types seen for one order."""

# The compensations that must both have happened before a declined order is Cancelled.
_COMPENSATIONS: Facts = frozenset({InventoryReleased, ShipmentCancelled})

# The status each event type stands for once seen (the compensations stand for none alone).
MILESTONE: Mapping[EventType, Status] = {
    OrderCreated: Status.ORDER_CREATED,
    InventoryReserved: Status.INVENTORY_CONFIRMED,
    InventoryRejected: Status.INVENTORY_FAILED,
    ShipmentCreated: Status.SHIPPED,
    PaymentCompleted: Status.PAID,
    PaymentDeclined: Status.PAYMENT_FAILED,
}


def status_of(facts: Facts) -> Status:
    """The status that a set of seen event types amounts to."""
    if PaymentDeclined in facts:
        return Status.CANCELLED if facts >= _COMPENSATIONS else Status.PAYMENT_FAILED
    if PaymentCompleted in facts:
        return Status.PAID
    if InventoryRejected in facts:
        return Status.INVENTORY_FAILED
    if ShipmentCreated in facts:
        return Status.SHIPPED
    if InventoryReserved in facts:
        return Status.INVENTORY_CONFIRMED
    return Status.ORDER_CREATED


def milestones(facts: Facts) -> frozenset[Status]:
    """Every status the order has passed through, whatever order its events came in."""
    reached = {MILESTONE[fact] for fact in facts if fact in MILESTONE}
    if PaymentDeclined in facts and facts >= _COMPENSATIONS:
        reached.add(Status.CANCELLED)
    return frozenset(reached)


@dataclass(frozen=True)
class Progress:
    facts: Facts
    status: Status
    reached: tuple[Status, ...]
    """Statuses reached by this event, for the history, in chain order."""


def advance(current: Status, facts: Iterable[EventType], seen: EventType) -> Progress:
    """Add event type ``seen`` to ``facts``; the status never falls behind ``current``."""
    before = frozenset(facts)
    grown = before | {seen}
    reached = tuple(sorted(milestones(grown) - milestones(before), key=RANK.__getitem__))
    if current in TERMINAL:
        return Progress(grown, current, reached)
    candidate = status_of(grown)
    return Progress(grown, candidate if RANK[candidate] > RANK[current] else current, reached)
