"""Postgres adapter of OrderStatusService: an order's status, seen events and history.

It works a batch at a time: ``prepare`` locks and reads every order the batch
names in one query, handlers then read and change them in memory, and
``flush`` writes the changes back (two statements, pipelined) before commit.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import psycopg
from psycopg.rows import TupleRow

from orderflow.events.ids import OrderId
from orderflow.events.model import Event
from orderflow.services.batch_ids import uuid_ids
from orderflow.services.order.status import Progress, Status
from orderflow.services.order.status_ports import Tracked

Cursor = psycopg.Cursor[TupleRow]


class StatusStore:
    def __init__(self, cur: Cursor) -> None:
        self._cur = cur
        self._tracked: dict[str, Tracked] = {}
        self._changed: set[str] = set()
        self._history: list[tuple[str, str, datetime]] = []

    def prepare(self, events: Sequence[Event]) -> None:
        """Lock and read the orders of ``events`` (in id order, so batches never deadlock)."""
        ids = uuid_ids(e.order_id for e in events)
        self._cur.execute(
            "SELECT order_id::text, status, facts FROM orders.orders"
            " WHERE order_id = ANY(%s::uuid[]) ORDER BY order_id FOR UPDATE",
            (ids,),
        )
        for order_id, status, facts in self._cur.fetchall():
            self._tracked[order_id] = Tracked(Status(status), frozenset(facts))

    def load(self, order_id: OrderId) -> Tracked | None:
        """The order's status and seen events; None if unknown (or not in ``prepare``)."""
        return self._tracked.get(order_id)

    def save(self, order_id: OrderId, progress: Progress, occurred_at: datetime) -> None:
        self._tracked[order_id] = Tracked(progress.status, progress.facts)
        self._changed.add(order_id)
        self._history.extend((order_id, s.value, occurred_at) for s in progress.reached)

    def flush(self) -> None:
        if not self._changed:
            return
        conn = self._cur.connection
        with conn.pipeline():
            self._cur.executemany(
                "UPDATE orders.orders SET status = %s, facts = %s, updated_at = now()"
                " WHERE order_id = %s",
                [
                    (self._tracked[i].status.value, sorted(self._tracked[i].facts), i)
                    for i in sorted(self._changed)
                ],
            )
            if self._history:
                self._cur.executemany(
                    "INSERT INTO orders.status_history (order_id, status, occurred_at)"
                    " VALUES (%s, %s, %s) ON CONFLICT DO NOTHING",
                    self._history,
                )
        self._changed.clear()
        self._history.clear()
