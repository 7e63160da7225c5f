"""What OrderStatusService does when an event arrives: move the order's status on."""

from __future__ import annotations

import logging
import uuid

from orderflow.events.model import (
    Event,
    InventoryRejected,
    InventoryReleased,
    InventoryReserved,
    OrderCreated,
    PaymentCompleted,
    PaymentDeclined,
    ShipmentCancelled,
    ShipmentCreated,
)
from orderflow.events.topics import ALL_TOPICS
from orderflow.messaging.consumer import NotYetVisible
from orderflow.messaging.processor import Handler
from orderflow.messaging.unit import Unit
from orderflow.services.order.status import advance
from orderflow.services.order.status_ports import Statuses

log = logging.getLogger(__name__)

CONSUMER = "order-status-service"
TOPICS = ALL_TOPICS


class UnknownOrder(NotYetVisible):
    """An event names an order this service does not know (yet, or ever)."""


def record_progress(event: Event, unit: Unit[Statuses]) -> None:
    try:
        uuid.UUID(event.order_id)
    except ValueError:
        raise ValueError(f"orderId {event.order_id!r} is not a uuid") from None
    tracked = unit.store.load(event.order_id)
    if tracked is None:
        raise UnknownOrder(f"no order {event.order_id}")
    progress = advance(tracked.status, tracked.facts, type(event).__name__)
    if progress.facts != tracked.facts:
        unit.store.save(event.order_id, progress, event.occurred_at)


HANDLERS: dict[type[Event], Handler[Statuses]] = {
    OrderCreated: record_progress,
    InventoryReserved: record_progress,
    InventoryRejected: record_progress,
    InventoryReleased: record_progress,
    ShipmentCreated: record_progress,
    ShipmentCancelled: record_progress,
    PaymentCompleted: record_progress,
    PaymentDeclined: record_progress,
}
