"""Postgres adapter of OrderStatusService: an order's status, seen events and history."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import psycopg
from psycopg.rows import TupleRow

from orderflow.events.ids import OrderId
from orderflow.services.order.status import Progress, Status

Cursor = psycopg.Cursor[TupleRow]


@dataclass(frozen=True)
class Tracked:
    status: Status
    facts: frozenset[str]


class StatusStore:
    def __init__(self, cur: Cursor) -> None:
        self._cur = cur

    def load(self, order_id: OrderId) -> Tracked | None:
        """The order's status and seen events, locked until commit; None if unknown."""
        self._cur.execute(
            "SELECT status, facts FROM orders.orders WHERE order_id = %s FOR UPDATE", (order_id,)
        )
        row = self._cur.fetchone()
        return None if row is None else Tracked(Status(row[0]), frozenset(row[1]))

    def save(self, order_id: OrderId, progress: Progress, occurred_at: datetime) -> None:
        self._cur.execute(
            "UPDATE orders.orders SET status = %s, facts = %s, updated_at = now()"
            " WHERE order_id = %s",
            (progress.status.value, sorted(progress.facts), order_id),
        )
        if progress.reached:
            self._cur.executemany(
                "INSERT INTO orders.status_history (order_id, status, occurred_at)"
                " VALUES (%s, %s, %s) ON CONFLICT DO NOTHING",
                [(order_id, status.value, occurred_at) for status in progress.reached],
            )
