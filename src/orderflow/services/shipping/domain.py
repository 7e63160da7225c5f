"""Shipment decisions: ship what inventory confirmed, cancel what payment declined.

Also the view those decisions read (``ShipmentsView``) and the changes they
make (``Ship``, ``Cancel``), all plain data.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime

from orderflow.events.ids import OrderId, ShipmentId, UserId
from orderflow.events.model import InventoryReserved, ShipmentCancelled, ShipmentCreated
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
    shipment_id = ShipmentId(stamp.event_id)
    shipment = Shipment(shipment_id, reserved.order_id, reserved.user_id, reserved.total_cents)
    return shipment, ShipmentCreated(
        event_id=stamp.event_id,
        order_id=reserved.order_id,
        occurred_at=stamp.occurred_at,
        shipment_id=shipment_id,
        user_id=reserved.user_id,
        total_cents=reserved.total_cents,
    )


def cancel(shipment: Shipment | None, stamp: Stamp) -> ShipmentCancelled | None:
    """Cancel the order's shipment; nothing if there is none or it is cancelled already."""
    if shipment is None or shipment.cancelled:
        return None
    return ShipmentCancelled(
        event_id=stamp.event_id,
        order_id=shipment.order_id,
        occurred_at=stamp.occurred_at,
        shipment_id=shipment.shipment_id,
        user_id=shipment.user_id,
        total_cents=shipment.total_cents,
    )


@dataclass(frozen=True)
class Ship:
    shipment: Shipment
    at: datetime


@dataclass(frozen=True)
class Cancel:
    shipment: Shipment
    at: datetime


ShipmentChange = Ship | Cancel


@dataclass
class ShipmentsView:
    """The shipments of some orders, by order."""

    shipments: dict[OrderId, Shipment] = field(default_factory=dict)

    def fold(self, change: ShipmentChange) -> None:
        shipment = change.shipment
        self.shipments[shipment.order_id] = (
            shipment if isinstance(change, Ship) else replace(shipment, cancelled=True)
        )
