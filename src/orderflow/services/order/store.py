"""Postgres adapter of the OrderService HTTP side (async): place and read orders."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple

from psycopg_pool import AsyncConnectionPool

from orderflow.events.ids import ItemId, OrderId, UserId
from orderflow.events.model import OrderCreated
from orderflow.messaging.outbox import Outbox
from orderflow.observability.trace_context import trace_id_of
from orderflow.services.order.domain import Order
from orderflow.services.order.group_commit import GroupCommit
from orderflow.services.order.status import Status


class HistoryEntry(NamedTuple):
    """One status the order passed through, and when it happened."""

    status: str
    occurred_at: datetime


@dataclass(frozen=True)
class OrderView:
    """An order as it stands now, with every status it passed through, oldest first."""

    order: Order
    history: tuple[HistoryEntry, ...]
    trace_id: str | None = None
    """The trace of the order's journey (None for an order placed before traces)."""


Placement = tuple[Order, OrderCreated, str]
"""An order, its event, and the traceparent the event goes out with."""

# Four transactions in flight leave most of the pool to the reads; 64 orders
# bound one transaction's size (and what one failed commit takes with it).
WRITERS = 4
MAX_BATCH = 64


class OrderStore:
    def __init__(self, pool: AsyncConnectionPool, outbox: Outbox) -> None:
        self._pool = pool
        self._outbox = outbox
        self._placements = GroupCommit[Placement](self._write, WRITERS, MAX_BATCH)

    async def place(self, order: Order, created: OrderCreated, traceparent: str) -> None:
        """Return once ``order`` and its ``created`` are committed, together."""
        await self._placements.submit((order, created, traceparent))

    async def _write(self, placements: list[Placement]) -> None:
        # Each order row and its OrderCreated commit together or not at all, so
        # there is never an order without its event, nor an event without its
        # order; the connector publishes the event from the WAL.
        orders = [order for order, _, _ in placements]
        traceparents: dict[str, str] = {o.order_id: tp for o, _, tp in placements}
        async with self._pool.connection() as conn, conn.transaction(), conn.cursor() as cur:
            await cur.executemany(
                "INSERT INTO orders.orders (order_id, user_id, items, total_cents, status,"
                " created_at, updated_at, trace_id) VALUES (%s, %s, %s, %s, %s, %s, %s, %s)",
                [
                    (
                        o.order_id,
                        o.user_id,
                        list(o.items),
                        o.total_cents,
                        o.status.value,
                        o.created_at,
                        o.created_at,
                        trace_id_of(traceparents[o.order_id]),
                    )
                    for o in orders
                ],
            )
            await cur.executemany(
                "INSERT INTO orders.status_history (order_id, status, occurred_at)"
                " VALUES (%s, %s, %s)",
                [(o.order_id, o.status.value, o.created_at) for o in orders],
            )
            await self._outbox.write_async(
                cur, [created for _, created, _ in placements], traceparents
            )

    async def status(self, order_id: str) -> str | None:
        async with self._pool.connection() as conn:
            cur = await conn.execute(
                "SELECT status FROM orders.orders WHERE order_id = %s", (order_id,)
            )
            row = await cur.fetchone()
        return None if row is None else str(row[0])

    async def find(self, order_id: str) -> OrderView | None:
        async with self._pool.connection() as conn:
            cur = await conn.execute(
                "SELECT user_id, items, total_cents, status, created_at, trace_id"
                " FROM orders.orders"
                " WHERE order_id = %s",
                (order_id,),
            )
            row = await cur.fetchone()
            if row is None:
                return None
            cur = await conn.execute(
                "SELECT status, occurred_at FROM orders.status_history WHERE order_id = %s"
                " ORDER BY occurred_at, recorded_at",
                (order_id,),
            )
            history = tuple(HistoryEntry(str(s), at) for s, at in await cur.fetchall())
        order = Order(
            OrderId(order_id),
            UserId(str(row[0])),
            tuple(ItemId(item) for item in row[1]),
            int(row[2]),
            Status(str(row[3])),
            row[4],
        )
        return OrderView(order, history, None if row[5] is None else str(row[5]))
