"""The event catalogue: past tense, immutable, one class per event type.

Every event shares one envelope (its id, the order it belongs to, which is
its Kafka key, and the time it happened) and names the topic it travels on.
An event type's name is its class name: it is the Avro ``eventType`` symbol,
the outbox's ``eventType`` header and what the status projection stores.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import datetime
from typing import ClassVar, TypeVar

from orderflow.events.ids import EventId, ItemId, OrderId, ShipmentId, UserId
from orderflow.events.stamp import Stamp
from orderflow.events.topics import (
    INVENTORY_EVENTS,
    ORDER_EVENTS,
    PAYMENT_EVENTS,
    SHIPPING_EVENTS,
)


@dataclass(frozen=True, kw_only=True)
class Envelope:
    """What every event carries, whatever its type."""

    event_id: EventId
    order_id: OrderId
    occurred_at: datetime


@dataclass(frozen=True, kw_only=True)
class _OrderLines(Envelope):
    """The order as placed: who, what, and what it costs."""

    user_id: UserId
    items: tuple[ItemId, ...]
    total_cents: int


@dataclass(frozen=True, kw_only=True)
class _ShipmentFacts(Envelope):
    shipment_id: ShipmentId
    user_id: UserId
    total_cents: int


@dataclass(frozen=True, kw_only=True)
class _PaymentFacts(Envelope):
    user_id: UserId
    amount_cents: int


@dataclass(frozen=True, kw_only=True)
class OrderCreated(_OrderLines):
    topic: ClassVar[str] = ORDER_EVENTS


@dataclass(frozen=True, kw_only=True)
class InventoryReserved(_OrderLines):
    topic: ClassVar[str] = INVENTORY_EVENTS


@dataclass(frozen=True, kw_only=True)
class InventoryRejected(_OrderLines):
    topic: ClassVar[str] = INVENTORY_EVENTS
    reason: str


@dataclass(frozen=True, kw_only=True)
class InventoryReleased(_OrderLines):
    topic: ClassVar[str] = INVENTORY_EVENTS


@dataclass(frozen=True, kw_only=True)
class ShipmentCreated(_ShipmentFacts):
    topic: ClassVar[str] = SHIPPING_EVENTS


@dataclass(frozen=True, kw_only=True)
class ShipmentCancelled(_ShipmentFacts):
    topic: ClassVar[str] = SHIPPING_EVENTS


@dataclass(frozen=True, kw_only=True)
class PaymentCompleted(_PaymentFacts):
    topic: ClassVar[str] = PAYMENT_EVENTS


@dataclass(frozen=True, kw_only=True)
class PaymentDeclined(_PaymentFacts):
    topic: ClassVar[str] = PAYMENT_EVENTS
    reason: str


Event = (
    OrderCreated
    | InventoryReserved
    | InventoryRejected
    | InventoryReleased
    | ShipmentCreated
    | ShipmentCancelled
    | PaymentCompleted
    | PaymentDeclined
)

EventType = type[Event]

EVENT_TYPES: tuple[EventType, ...] = (
    OrderCreated,
    InventoryReserved,
    InventoryRejected,
    InventoryReleased,
    ShipmentCreated,
    ShipmentCancelled,
    PaymentCompleted,
    PaymentDeclined,
)

_BY_NAME: dict[str, EventType] = {cls.__name__: cls for cls in EVENT_TYPES}


def type_name(event_type: EventType) -> str:
    """The event type's name on the wire and in the database."""
    return event_type.__name__


def event_type_named(name: str) -> EventType | None:
    """The event type called ``name``, or None if there is none."""
    return _BY_NAME.get(name)


E = TypeVar("E", bound=Envelope)


def event_about(event_type: type[E], subject: object, stamp: Stamp, **extra: object) -> E:
    """A new event of ``event_type`` about what ``subject`` describes, stamped now.

    Every field of the event that ``subject`` (an earlier event, a reservation,
    a shipment) has is copied from it; the id and time come from ``stamp``, and
    ``extra`` gives the rest (a reason, an amount).
    """
    copied = {
        f.name: getattr(subject, f.name)
        for f in fields(event_type)
        if f.name not in extra and hasattr(subject, f.name)
    }
    envelope = {"event_id": stamp.event_id, "occurred_at": stamp.occurred_at}
    return event_type(**{**copied, **envelope, **extra})
