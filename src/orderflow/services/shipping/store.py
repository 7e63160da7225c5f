"""Postgres adapter of ShippingService: one shipment per order, a batch at a time.

``prepare`` locks and reads the shipments of a batch's orders, the handlers
decide in memory, and ``flush`` writes the changes back (pipelined).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import psycopg
from psycopg.rows import TupleRow

from orderflow.events.ids import OrderId, ShipmentId, UserId
from orderflow.events.model import Event
from orderflow.services.batch_ids import uuid_ids
from orderflow.services.shipping.domain import Shipment

Cursor = psycopg.Cursor[TupleRow]


class ShippingStore:
    def __init__(self, cur: Cursor) -> None:
        self._cur = cur
        self._shipments: dict[str, Shipment] = {}
        self._created: list[tuple[Shipment, datetime]] = []
        self._cancelled: list[tuple[datetime, str]] = []

    def prepare(self, events: Sequence[Event]) -> None:
        self._cur.execute(
            "SELECT order_id::text, shipment_id::text, user_id, total_cents, state"
            " FROM shipping.shipments WHERE order_id = ANY(%s::uuid[])"
            " ORDER BY order_id FOR UPDATE",
            (uuid_ids(e.order_id for e in events),),
        )
        for order_id, shipment_id, user_id, total, state in self._cur.fetchall():
            self._shipments[order_id] = Shipment(
                ShipmentId(shipment_id), OrderId(order_id), UserId(user_id), int(total),
                state == "cancelled",
            )  # fmt: skip

    def shipment(self, order_id: OrderId) -> Shipment | None:
        return self._shipments.get(order_id)

    def create(self, shipment: Shipment, at: datetime) -> None:
        self._shipments[shipment.order_id] = shipment
        self._created.append((shipment, at))

    def cancel(self, order_id: OrderId, at: datetime) -> None:
        s = self._shipments[order_id]
        self._shipments[order_id] = Shipment(
            s.shipment_id, s.order_id, s.user_id, s.total_cents, cancelled=True
        )
        self._cancelled.append((at, order_id))

    def flush(self) -> None:
        with self._cur.connection.pipeline():
            if self._created:
                self._cur.executemany(
                    "INSERT INTO shipping.shipments"
                    " (order_id, shipment_id, user_id, total_cents, state, created_at)"
                    " VALUES (%s, %s, %s, %s, 'created', %s)",
                    [(s.order_id, s.shipment_id, s.user_id, s.total_cents, at)
                     for s, at in self._created],
                )  # fmt: skip
            if self._cancelled:
                self._cur.executemany(
                    "UPDATE shipping.shipments SET state = 'cancelled', cancelled_at = %s"
                    " WHERE order_id = %s",
                    self._cancelled,
                )
        self._created.clear()
        self._cancelled.clear()
