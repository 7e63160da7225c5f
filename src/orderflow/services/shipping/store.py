"""Postgres adapter of ShippingService: one shipment per order."""

from __future__ import annotations

from datetime import datetime

import psycopg
from psycopg.rows import TupleRow

from orderflow.events.ids import OrderId, ShipmentId, UserId
from orderflow.services.shipping.domain import Shipment

Cursor = psycopg.Cursor[TupleRow]


class ShippingStore:
    def __init__(self, cur: Cursor) -> None:
        self._cur = cur

    def shipment(self, order_id: OrderId) -> Shipment | None:
        self._cur.execute(
            "SELECT shipment_id::text, user_id, total_cents, state FROM shipping.shipments"
            " WHERE order_id = %s FOR UPDATE",
            (order_id,),
        )
        row = self._cur.fetchone()
        if row is None:
            return None
        return Shipment(
            ShipmentId(row[0]), order_id, UserId(row[1]), int(row[2]), row[3] == "cancelled"
        )

    def create(self, shipment: Shipment, at: datetime) -> None:
        self._cur.execute(
            "INSERT INTO shipping.shipments"
            " (order_id, shipment_id, user_id, total_cents, state, created_at)"
            " VALUES (%s, %s, %s, %s, 'created', %s)",
            (shipment.order_id, shipment.shipment_id, shipment.user_id, shipment.total_cents, at),
        )

    def cancel(self, order_id: OrderId, at: datetime) -> None:
        self._cur.execute(
            "UPDATE shipping.shipments SET state = 'cancelled', cancelled_at = %s"
            " WHERE order_id = %s",
            (at, order_id),
        )
