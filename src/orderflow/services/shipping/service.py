"""ShippingService, declared: consumes inventory and payments, keeps shipments in `shipping`."""

from __future__ import annotations

from orderflow.events.model import ShipmentCancelled, ShipmentCreated
from orderflow.events.topics import INVENTORY_EVENTS, PAYMENT_EVENTS
from orderflow.messaging.service import Service
from orderflow.services.shipping.domain import ShipmentChange, ShipmentsView
from orderflow.services.shipping.handlers import HANDLERS
from orderflow.services.shipping.store import ShippingStore

SHIPPING = Service[ShipmentsView, ShipmentChange](
    name="shipping",
    title="ShippingService",
    group="shipping-service",
    topics=(INVENTORY_EVENTS, PAYMENT_EVENTS),
    schema="shipping",
    role=lambda settings: settings.postgres_shipping_role,
    handlers=HANDLERS,
    store=lambda cur, _settings: ShippingStore(cur),
    initial=lambda _settings: ShipmentsView(),
    port=lambda settings: settings.shipping_port,
    emits=(ShipmentCreated, ShipmentCancelled),
)
