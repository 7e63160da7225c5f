"""What ShippingService decides when an event arrives."""

from __future__ import annotations

from dataclasses import replace

from orderflow.events.model import InventoryReserved, PaymentDeclined
from orderflow.events.stamp import Stamp
from orderflow.messaging.decision import Decision, Handlers, on
from orderflow.services.shipping import domain
from orderflow.services.shipping.domain import ShipmentChange, ShipmentsView


def create_shipment(
    event: InventoryReserved, view: ShipmentsView, stamp: Stamp
) -> Decision[ShipmentChange]:
    shipped = domain.ship(event, view.shipments.get(event.order_id), stamp)
    if shipped is None:
        return Decision()
    shipment, created = shipped
    return Decision((ShipmentChange(shipment, created.occurred_at),), created)


def cancel_shipment(
    event: PaymentDeclined, view: ShipmentsView, stamp: Stamp
) -> Decision[ShipmentChange]:
    shipment = view.shipments.get(event.order_id)
    cancelled = domain.cancel(shipment, stamp)
    if shipment is None or cancelled is None:
        return Decision()
    return Decision(
        (ShipmentChange(replace(shipment, cancelled=True), cancelled.occurred_at),), cancelled
    )


HANDLERS = Handlers[ShipmentsView, ShipmentChange](
    on(InventoryReserved, create_shipment),
    on(PaymentDeclined, cancel_shipment),
)
