"""Postgres adapter of InventoryService: stock rows and reservations, a batch at a time.

``prepare`` locks and reads the stock and reservations a batch needs, the
handlers decide in memory, and ``flush`` writes the changes back (pipelined)
before commit. The locks taken in ``prepare`` are what make the absolute
stock values written by ``flush`` safe.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

import psycopg
from psycopg.rows import TupleRow

from orderflow.events.ids import ItemId, OrderId, UserId
from orderflow.events.model import Event, OrderCreated
from orderflow.services.batch_ids import uuid_ids
from orderflow.services.inventory.domain import Reservation

Cursor = psycopg.Cursor[TupleRow]


class InventoryStore:
    def __init__(self, cur: Cursor) -> None:
        self._cur = cur
        self._stock: dict[ItemId, tuple[int, int]] = {}  # item -> (available, reserved)
        self._reservations: dict[str, Reservation] = {}
        self._touched: set[ItemId] = set()
        self._held: list[tuple[Reservation, datetime]] = []
        self._released: list[tuple[datetime, str]] = []

    def prepare(self, events: Sequence[Event]) -> None:
        self._cur.execute(
            "SELECT order_id::text, user_id, items, total_cents, state"
            " FROM inventory.reservations WHERE order_id = ANY(%s::uuid[])"
            " ORDER BY order_id FOR UPDATE",
            (uuid_ids(e.order_id for e in events),),
        )
        for order_id, user_id, items, total, state in self._cur.fetchall():
            held = tuple(ItemId(i) for i in items)
            self._reservations[order_id] = Reservation(
                OrderId(order_id), UserId(user_id), held, int(total), state == "released"
            )
        wanted = {i for e in events if isinstance(e, OrderCreated) for i in e.items}
        wanted |= {i for r in self._reservations.values() for i in r.items}
        self._cur.execute(
            "SELECT item_id, available, reserved FROM inventory.stock WHERE item_id = ANY(%s)"
            " ORDER BY item_id FOR UPDATE",
            (sorted(wanted),),
        )
        for item_id, available, reserved in self._cur.fetchall():
            self._stock[ItemId(item_id)] = (int(available), int(reserved))

    def available(self, items: Iterable[ItemId]) -> dict[ItemId, int]:
        return {i: self._stock[i][0] for i in items if i in self._stock}

    def reservation(self, order_id: OrderId) -> Reservation | None:
        return self._reservations.get(order_id)

    def hold(self, held: Reservation, at: datetime) -> None:
        self._move(held, sign=1)
        self._reservations[held.order_id] = held
        self._held.append((held, at))

    def give_back(self, held: Reservation, at: datetime) -> None:
        self._move(held, sign=-1)
        self._reservations[held.order_id] = Reservation(
            held.order_id, held.user_id, held.items, held.total_cents, released=True
        )
        self._released.append((at, held.order_id))

    def _move(self, held: Reservation, *, sign: int) -> None:
        """Move stock from available to reserved (sign 1) or back (sign -1)."""
        for item, n in held.quantities.items():
            available, reserved = self._stock[item]
            self._stock[item] = (available - sign * n, reserved + sign * n)
            self._touched.add(item)

    def flush(self) -> None:
        if not self._touched:
            return
        with self._cur.connection.pipeline():
            self._cur.executemany(
                "UPDATE inventory.stock SET available = %s, reserved = %s WHERE item_id = %s",
                [(*self._stock[i], i) for i in sorted(self._touched)],
            )
            if self._held:
                self._cur.executemany(
                    "INSERT INTO inventory.reservations"
                    " (order_id, user_id, items, total_cents, state, created_at)"
                    " VALUES (%s, %s, %s, %s, 'reserved', %s)",
                    [(r.order_id, r.user_id, list(r.items), r.total_cents, at)
                     for r, at in self._held],
                )  # fmt: skip
            if self._released:
                self._cur.executemany(
                    "UPDATE inventory.reservations SET state = 'released', released_at = %s"
                    " WHERE order_id = %s",
                    self._released,
                )
        self._touched.clear()
        self._held.clear()
        self._released.clear()
