"""The events of the system: past tense, immutable, one class per event type.

Every event names the topic it travels on, and carries an event id, the order
it belongs to (its Kafka key) and the time it happened.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import ClassVar

from orderflow.events.ids import EventId, ItemId, OrderId, ShipmentId, UserId
from orderflow.events.topics import (
    INVENTORY_EVENTS,
    ORDER_EVENTS,
    PAYMENT_EVENTS,
    SHIPPING_EVENTS,
)


@dataclass(frozen=True, kw_only=True)
class OrderCreated:
    topic: ClassVar[str] = ORDER_EVENTS
    event_id: EventId
    order_id: OrderId
    occurred_at: datetime
    user_id: UserId
    items: tuple[ItemId, ...]
    total_cents: int


@dataclass(frozen=True, kw_only=True)
class InventoryReserved:
    topic: ClassVar[str] = INVENTORY_EVENTS
    event_id: EventId
    order_id: OrderId
    occurred_at: datetime
    user_id: UserId
    items: tuple[ItemId, ...]
    total_cents: int


@dataclass(frozen=True, kw_only=True)
class InventoryRejected:
    topic: ClassVar[str] = INVENTORY_EVENTS
    event_id: EventId
    order_id: OrderId
    occurred_at: datetime
    user_id: UserId
    items: tuple[ItemId, ...]
    total_cents: int
    reason: str


@dataclass(frozen=True, kw_only=True)
class InventoryReleased:
    topic: ClassVar[str] = INVENTORY_EVENTS
    event_id: EventId
    order_id: OrderId
    occurred_at: datetime
    user_id: UserId
    items: tuple[ItemId, ...]
    total_cents: int


@dataclass(frozen=True, kw_only=True)
class ShipmentCreated:
    topic: ClassVar[str] = SHIPPING_EVENTS
    event_id: EventId
    order_id: OrderId
    occurred_at: datetime
    shipment_id: ShipmentId
    user_id: UserId
    total_cents: int


@dataclass(frozen=True, kw_only=True)
class ShipmentCancelled:
    topic: ClassVar[str] = SHIPPING_EVENTS
    event_id: EventId
    order_id: OrderId
    occurred_at: datetime
    shipment_id: ShipmentId
    user_id: UserId
    total_cents: int


@dataclass(frozen=True, kw_only=True)
class PaymentCompleted:
    topic: ClassVar[str] = PAYMENT_EVENTS
    event_id: EventId
    order_id: OrderId
    occurred_at: datetime
    user_id: UserId
    amount_cents: int


@dataclass(frozen=True, kw_only=True)
class PaymentDeclined:
    topic: ClassVar[str] = PAYMENT_EVENTS
    event_id: EventId
    order_id: OrderId
    occurred_at: datetime
    user_id: UserId
    amount_cents: int
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

EVENT_TYPES: tuple[type[Event], ...] = (
    OrderCreated,
    InventoryReserved,
    InventoryRejected,
    InventoryReleased,
    ShipmentCreated,
    ShipmentCancelled,
    PaymentCompleted,
    PaymentDeclined,
)
