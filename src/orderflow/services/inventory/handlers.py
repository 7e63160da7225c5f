"""What InventoryService does when an event arrives."""

from __future__ import annotations

from orderflow.events.model import Event, OrderCreated, PaymentDeclined
from orderflow.events.topics import ORDER_EVENTS, PAYMENT_EVENTS
from orderflow.messaging.processor import Handler
from orderflow.messaging.unit import Unit
from orderflow.services.inventory import domain
from orderflow.services.inventory.ports import Stock

CONSUMER = "inventory-service"
TOPICS = (ORDER_EVENTS, PAYMENT_EVENTS)


def on_order_created(event: OrderCreated, unit: Unit[Stock]) -> None:
    if unit.store.reservation(event.order_id) is not None:
        return
    held, outcome = domain.reserve(event, unit.store.available(event.items), unit.stamp())
    if held is not None:
        unit.store.hold(held, outcome.occurred_at)
    unit.emit(outcome)


def on_payment_declined(event: PaymentDeclined, unit: Unit[Stock]) -> None:
    held = unit.store.reservation(event.order_id)
    released = domain.release(held, unit.stamp())
    if held is not None and released is not None:
        unit.store.available(held.items)  # lock the stock rows, in order
        unit.store.give_back(held, released.occurred_at)
        unit.emit(released)


HANDLERS: dict[type[Event], Handler[Stock]] = {
    OrderCreated: on_order_created,
    PaymentDeclined: on_payment_declined,
}
