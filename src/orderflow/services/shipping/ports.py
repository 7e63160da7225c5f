"""What the shipping handlers need from storage (ShippingStore, or a fake in tests)."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from orderflow.events.ids import OrderId
from orderflow.services.shipping.domain import Shipment


class Shipments(Protocol):
    def shipment(self, order_id: OrderId) -> Shipment | None: ...
    def create(self, shipment: Shipment, at: datetime) -> None: ...
    def cancel(self, order_id: OrderId, at: datetime) -> None: ...
