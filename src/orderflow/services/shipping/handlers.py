"""What ShippingService does when an event arrives."""

from __future__ import annotations

from orderflow.events.ids import ShipmentId, time_ordered_id
from orderflow.events.model import Event, InventoryReserved, PaymentDeclined
from orderflow.events.topics import INVENTORY_EVENTS, PAYMENT_EVENTS
from orderflow.messaging.processor import Handler
from orderflow.messaging.unit import Unit
from orderflow.services.shipping import domain
from orderflow.services.shipping.ports import Shipments

CONSUMER = "shipping-service"
TOPICS = (INVENTORY_EVENTS, PAYMENT_EVENTS)


def on_inventory_reserved(event: InventoryReserved, unit: Unit[Shipments]) -> None:
    existing = unit.store.shipment(event.order_id)
    shipped = domain.ship(event, existing, ShipmentId(time_ordered_id()), unit.stamp())
    if shipped is not None:
        shipment, created = shipped
        unit.store.create(shipment, created.occurred_at)
        unit.emit(created)


def on_payment_declined(event: PaymentDeclined, unit: Unit[Shipments]) -> None:
    cancelled = domain.cancel(unit.store.shipment(event.order_id), unit.stamp())
    if cancelled is not None:
        unit.store.cancel(event.order_id, cancelled.occurred_at)
        unit.emit(cancelled)


HANDLERS: dict[type[Event], Handler[Shipments]] = {
    InventoryReserved: on_inventory_reserved,
    PaymentDeclined: on_payment_declined,
}
