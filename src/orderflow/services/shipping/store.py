"""Postgres adapter of ShippingService: one shipment per order, a batch at a time.

``load`` locks and reads the shipments of a batch's orders; ``apply`` writes
the decided changes back, pipelined.
"""

from __future__ import annotations

from collections.abc import Sequence

from orderflow.events.ids import OrderId, ShipmentId, UserId
from orderflow.events.model import Event
from orderflow.messaging.postgres import CursorStore
from orderflow.services.batch_ids import rows_of_orders
from orderflow.services.shipping.domain import Shipment, ShipmentChange, ShipmentsView


class ShippingStore(CursorStore):
    def load(self, events: Sequence[Event]) -> ShipmentsView:
        view = ShipmentsView()
        for order_id, shipment_id, user_id, total, state in rows_of_orders(
            self._cur,
            "SELECT order_id::text, shipment_id::text, user_id, total_cents, state"
            " FROM shipping.shipments WHERE order_id = ANY(%s::uuid[])"
            " ORDER BY order_id FOR UPDATE",
            events,
        ):
            view.shipments[OrderId(order_id)] = Shipment(
                ShipmentId(shipment_id), OrderId(order_id), UserId(user_id), int(total),
                state == "cancelled",
            )  # fmt: skip
        return view

    def apply(self, changes: Sequence[ShipmentChange]) -> None:
        created = [(c.shipment, c.at) for c in changes if not c.shipment.cancelled]
        cancelled = [(c.at, c.shipment.order_id) for c in changes if c.shipment.cancelled]
        with self._cur.connection.pipeline():
            if created:
                self._cur.executemany(
                    "INSERT INTO shipping.shipments"
                    " (order_id, shipment_id, user_id, total_cents, state, created_at)"
                    " VALUES (%s, %s, %s, %s, 'created', %s)",
                    [(s.order_id, s.shipment_id, s.user_id, s.total_cents, at)
                     for s, at in created],
                )  # fmt: skip
            if cancelled:
                self._cur.executemany(
                    "UPDATE shipping.shipments SET state = 'cancelled', cancelled_at = %s"
                    " WHERE order_id = %s",
                    cancelled,
                )
