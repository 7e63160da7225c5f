"""Postgres adapter of InventoryService: stock rows and reservations."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime

import psycopg
from psycopg.rows import TupleRow

from orderflow.events.ids import ItemId, OrderId, UserId
from orderflow.services.inventory.domain import Reservation

Cursor = psycopg.Cursor[TupleRow]


class InventoryStore:
    def __init__(self, cur: Cursor) -> None:
        self._cur = cur

    def available(self, items: Iterable[ItemId]) -> dict[ItemId, int]:
        """Available stock of ``items``, locked until commit (in item order, against deadlocks)."""
        self._cur.execute(
            "SELECT item_id, available FROM inventory.stock WHERE item_id = ANY(%s)"
            " ORDER BY item_id FOR UPDATE",
            (sorted(set(items)),),
        )
        return {ItemId(row[0]): int(row[1]) for row in self._cur.fetchall()}

    def reservation(self, order_id: OrderId) -> Reservation | None:
        self._cur.execute(
            "SELECT user_id, items, total_cents, state FROM inventory.reservations"
            " WHERE order_id = %s FOR UPDATE",
            (order_id,),
        )
        row = self._cur.fetchone()
        if row is None:
            return None
        items = tuple(ItemId(i) for i in row[1])
        return Reservation(order_id, UserId(row[0]), items, int(row[2]), row[3] == "released")

    def hold(self, held: Reservation, at: datetime) -> None:
        self._move(held.quantities, sign=1)
        self._cur.execute(
            "INSERT INTO inventory.reservations"
            " (order_id, user_id, items, total_cents, state, created_at)"
            " VALUES (%s, %s, %s, %s, 'reserved', %s)",
            (held.order_id, held.user_id, list(held.items), held.total_cents, at),
        )

    def give_back(self, held: Reservation, at: datetime) -> None:
        self._move(held.quantities, sign=-1)
        self._cur.execute(
            "UPDATE inventory.reservations SET state = 'released', released_at = %s"
            " WHERE order_id = %s",
            (at, held.order_id),
        )

    def _move(self, quantities: Mapping[ItemId, int], *, sign: int) -> None:
        """Move stock from available to reserved (sign 1) or back (sign -1)."""
        self._cur.executemany(
            "UPDATE inventory.stock SET available = available - %s, reserved = reserved + %s"
            " WHERE item_id = %s",
            [(sign * n, sign * n, item) for item, n in sorted(quantities.items())],
        )
