"""Shipment decisions: ship what inventory confirmed, cancel what payment declined.

Also the view those decisions read (``ShipmentsView``) and the changes they
make (``ShipmentChange``), all plain data.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from orderflow.events.ids import OrderId, ShipmentId, UserId
from orderflow.events.model import (
    InventoryReserved,
    ShipmentCancelled,
    ShipmentCreated,
    event_about,
)
from orderflow.events.stamp import Stamp


@dataclass(frozen=True)
class Shipment:
    shipment_id: ShipmentId
    order_id: OrderId
    user_id: UserId
    total_cents: int
    cancelled: bool = False


def ship(
    reserved: InventoryReserved, existing: Shipment | None, stamp: Stamp
) -> tuple[Shipment, ShipmentCreated] | None:
    """A new shipment for a confirmed order; nothing if the order already has one."""
    if existing is not None:
        return None
    # A shipment is named by the event that creates it: a fresh, time-ordered id.
    shipment = Shipment(
        ShipmentId(stamp.event_id), reserved.order_id, reserved.user_id, reserved.total_cents
    )
    return shipment, event_about(ShipmentCreated, shipment, stamp)


def cancel(shipment: Shipment | None, stamp: Stamp) -> ShipmentCancelled | None:
    """Cancel the order's shipment; nothing if there is none or it is cancelled already."""
    if shipment is None or shipment.cancelled:
        return None
    return event_about(ShipmentCancelled, shipment, stamp)


@dataclass(frozen=True)
class ShipmentChange:
    """An order's shipment as it stands after the change: created, or ``cancelled``."""

    shipment: Shipment
    at: datetime


@dataclass
class ShipmentsView:
    """The shipments of some orders, by order."""

    shipments: dict[OrderId, Shipment] = field(default_factory=dict)

    def fold(self, change: ShipmentChange) -> None:
        self.shipments[change.shipment.order_id] = change.shipment
