"""Postgres adapter of the OrderService HTTP side (async): place and read orders."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple

from psycopg import AsyncCursor
from psycopg.rows import TupleRow
from psycopg_pool import AsyncConnectionPool

from orderflow.events.ids import ItemId, OrderId, UserId
from orderflow.events.model import OrderCreated
from orderflow.messaging.outbox import Outbox
from orderflow.observability.trace_context import trace_id_of
from orderflow.services.order.domain import Order
from orderflow.services.order.group_commit import GroupCommit
from orderflow.services.order.idempotency import Idempotency, KeyHolder, Placed, replay
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


@dataclass(slots=True)
class Placement:
    """An order, its event, the traceparent the event goes out with, and its key if any."""

    order: Order
    created: OrderCreated
    traceparent: str
    claim: Idempotency | None
    holder: KeyHolder | None = None
    """Set by the write when the key already stood for an order: that order."""


# Four transactions in flight leave most of the pool to the reads; 64 orders
# bound one transaction's size (and what one failed commit takes with it).
WRITERS = 4
MAX_BATCH = 64

# An order without a key costs what it did before keys: this same statement.
_INSERT_ORDER = (
    "INSERT INTO orders.orders (order_id, user_id, items, total_cents, status,"
    " created_at, updated_at, trace_id) VALUES (%s, %s, %s, %s, %s, %s, %s, %s)"
)
_INSERT_KEYED = (
    "INSERT INTO orders.orders (order_id, user_id, items, total_cents, status,"
    " created_at, updated_at, trace_id, idempotency_key, request_hash)"
    " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)"
    " ON CONFLICT (user_id, idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING"
    " RETURNING order_id"
)
_HOLDERS = (
    "SELECT o.user_id, o.idempotency_key, o.order_id::text, o.request_hash"
    " FROM orders.orders o JOIN unnest(%s::text[], %s::text[]) AS k (user_id, idempotency_key)"
    " USING (user_id, idempotency_key)"
    " WHERE o.idempotency_key IS NOT NULL"
)


def _row(p: Placement) -> tuple[object, ...]:
    o = p.order
    return (
        o.order_id,
        o.user_id,
        list(o.items),
        o.total_cents,
        o.status.value,
        o.created_at,
        o.created_at,
        trace_id_of(p.traceparent),
    )


class OrderStore:
    def __init__(self, pool: AsyncConnectionPool, outbox: Outbox) -> None:
        self._pool = pool
        self._outbox = outbox
        self._placements = GroupCommit[Placement](self._write, WRITERS, MAX_BATCH)

    async def place(
        self,
        order: Order,
        created: OrderCreated,
        traceparent: str,
        claim: Idempotency | None = None,
    ) -> Placed:
        """Return once ``order`` and its ``created`` are committed, together; or, when
        ``claim``'s key already stands for an order, that order (see idempotency.py)."""
        placement = Placement(order, created, traceparent, claim)
        await self._placements.submit(placement)
        if placement.holder is None or claim is None:
            return Placed(order.order_id)
        return replay(claim, placement.holder)

    async def _write(self, placements: list[Placement]) -> None:
        # Each order row and its OrderCreated commit together or not at all, so
        # there is never an order without its event, nor an event without its
        # order; the connector publishes the event from the WAL. An order's
        # idempotency key commits with it too: a key never stands for an order
        # that is not there, nor an order for a key that was not recorded.
        async with self._pool.connection() as conn, conn.transaction(), conn.cursor() as cur:
            written = [p for p in placements if p.claim is None]
            if written:
                await cur.executemany(_INSERT_ORDER, [_row(p) for p in written])
            if len(written) < len(placements):
                written += await _claim(cur, [p for p in placements if p.claim is not None])
            if not written:
                return
            await cur.executemany(
                "INSERT INTO orders.status_history (order_id, status, occurred_at)"
                " VALUES (%s, %s, %s)",
                [(p.order.order_id, p.order.status.value, p.order.created_at) for p in written],
            )
            await self._outbox.write_async(
                cur,
                [p.created for p in written],
                {p.order.order_id: p.traceparent for p in written},
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


async def _claim(cur: AsyncCursor[TupleRow], keyed: list[Placement]) -> list[Placement]:
    """Insert the keyed orders whose key is new and return them; give each other one
    the order that holds its key (placed before, or earlier in this batch)."""
    # In key order: two transactions claiming the same keys wait for each other
    # in one order, and so never deadlock. The sort is stable: of two requests
    # with one key in this batch, the first submitted wins.
    keyed.sort(key=_scope)
    await cur.executemany(_INSERT_KEYED, [(*_row(p), *_key(p)) for p in keyed], returning=True)
    won: list[Placement] = []
    lost: list[Placement] = []
    for index, placement in enumerate(keyed):
        if index:
            cur.nextset()
        (won if await cur.fetchone() is not None else lost).append(placement)
    if lost:
        scopes = [_scope(p) for p in lost]
        await cur.execute(_HOLDERS, ([u for u, _ in scopes], [k for _, k in scopes]))
        holders = {
            (str(user), str(key)): KeyHolder(OrderId(str(order_id)), bytes(digest))
            for user, key, order_id, digest in await cur.fetchall()
        }
        # Read committed: the insert that did nothing waited for the holder's
        # transaction to commit, so this statement's snapshot sees its row.
        for placement, scope in zip(lost, scopes, strict=True):
            placement.holder = holders[scope]
    return won


def _scope(p: Placement) -> tuple[str, str]:
    assert p.claim is not None
    return p.order.user_id, p.claim.key


def _key(p: Placement) -> tuple[str, bytes]:
    assert p.claim is not None
    return p.claim.key, p.claim.fingerprint
