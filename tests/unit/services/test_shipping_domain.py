from __future__ import annotations

from orderflow.events.ids import ItemId, OrderId, ShipmentId, UserId
from orderflow.events.model import InventoryReserved
from orderflow.services.shipping.domain import Shipment, cancel, ship

from .stamps import stamp


def _reserved() -> InventoryReserved:
    s = stamp(7)
    return InventoryReserved(
        event_id=s.event_id,
        order_id=OrderId("9f6c6a7e-1b2c-4d3e-8f90-a1b2c3d4e5f6"),
        occurred_at=s.occurred_at,
        user_id=UserId("123"),
        items=(ItemId("item1"),),
        total_cents=1250,
    )


def test_ships_a_confirmed_order_once() -> None:
    shipped = ship(_reserved(), None, stamp())

    assert shipped is not None
    shipment, event = shipped
    # The shipment is named by the event that creates it.
    assert event.shipment_id == shipment.shipment_id == ShipmentId(stamp().event_id)
    assert event.total_cents == 1250
    assert ship(_reserved(), shipment, stamp(2)) is None


def test_cancels_a_shipment_once() -> None:
    shipped = ship(_reserved(), None, stamp())
    assert shipped is not None
    shipment, _ = shipped

    cancelled = cancel(shipment, stamp(2))
    assert cancelled is not None
    assert cancelled.shipment_id == shipment.shipment_id
    done = Shipment(
        shipment.shipment_id, shipment.order_id, shipment.user_id, shipment.total_cents, True
    )
    assert cancel(done, stamp(3)) is None
    assert cancel(None, stamp(4)) is None
