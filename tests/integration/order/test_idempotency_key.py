"""Idempotency keys on the real Postgres: one order per key, across restarts and races.

Each test places orders through ``OrderStore`` (group commit, outbox and all)
on a pool of its own, as one OrderService process has it; a "restart" is a
new pool and a new store on the same database. The unique index, not the
process, decides which of two requests with one key places the order.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Coroutine, Sequence
from contextlib import asynccontextmanager
from typing import Any, TypeVar

import psycopg
import pytest
from psycopg_pool import AsyncConnectionPool

from orderflow.events.codec import EventCodec
from orderflow.events.ids import OrderId, time_ordered_id
from orderflow.events.model import OrderCreated
from orderflow.events.stamp import fresh_stamp
from orderflow.messaging.outbox import Outbox
from orderflow.messaging.startup import start_up
from orderflow.services.order.catalogue import PRICES_CENTS
from orderflow.services.order.domain import Order, place_order
from orderflow.services.order.idempotency import (
    Idempotency,
    IdempotencyKeyReused,
    Placed,
    fingerprint,
)
from orderflow.services.order.service import ORDER
from orderflow.services.order.store import OrderStore
from orderflow.settings import Settings

pytestmark = pytest.mark.stack

T = TypeVar("T")
TRACEPARENT = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"


@pytest.fixture(scope="module")
def codec(stack: Settings) -> EventCodec:
    return start_up(stack)


def run(test: Coroutine[Any, Any, T]) -> T:
    return asyncio.run(asyncio.wait_for(test, timeout=60))


@asynccontextmanager
async def store_on(settings: Settings, codec: EventCodec) -> AsyncIterator[OrderStore]:
    """An OrderStore on a pool of its own: one OrderService process, from start to stop."""
    pool = AsyncConnectionPool(
        settings.service_dsn(ORDER.role(settings)), min_size=1, max_size=4, open=False
    )
    await pool.open(wait=True, timeout=30)
    try:
        yield OrderStore(pool, Outbox(ORDER.schema, codec))
    finally:
        await pool.close()


class Request:
    """One POST /order with a key, as the route hands it to the store."""

    def __init__(self, user_id: str, items: Sequence[str], key: str) -> None:
        self.order, self.created = place_order(
            OrderId(time_ordered_id()), user_id, items, PRICES_CENTS, fresh_stamp()
        )
        self.claim = Idempotency(key, fingerprint(user_id, items))

    def to(self, store: OrderStore) -> Coroutine[Any, Any, Placed]:
        return store.place(self.order, self.created, TRACEPARENT, self.claim)


def fresh_user() -> str:
    return f"idem-{uuid.uuid4()}"


def rows_with_key(settings: Settings, user_id: str, key: str) -> list[tuple[str, bytes]]:
    with psycopg.connect(settings.postgres_dsn) as conn:
        rows = conn.execute(
            "SELECT order_id::text, request_hash FROM orders.orders"
            " WHERE user_id = %s AND idempotency_key = %s",
            (user_id, key),
        ).fetchall()
    return [(str(order_id), bytes(digest)) for order_id, digest in rows]


def written(settings: Settings, order: Order) -> tuple[int, int]:
    """How many rows ``order`` has in orders.orders, and of its placing in
    orders.status_history. Only those of ``Order Created``: when the e2e tests'
    services run on the session's stack, the order goes on through the pipeline."""
    with psycopg.connect(settings.postgres_dsn) as conn:
        row = conn.execute(
            "SELECT (SELECT count(*) FROM orders.orders WHERE order_id = %s),"
            " (SELECT count(*) FROM orders.status_history"
            "  WHERE order_id = %s AND status = 'Order Created')",
            (order.order_id, order.order_id),
        ).fetchone()
    assert row is not None
    return int(row[0]), int(row[1])


def test_a_retry_after_a_restart_answers_the_first_order(
    stack: Settings, codec: EventCodec
) -> None:
    user = fresh_user()
    first, retry = (
        Request(user, ["item1", "item2"], "k-1"),
        Request(user, ["item1", "item2"], "k-1"),
    )

    async def test() -> tuple[Placed, Placed]:
        async with store_on(stack, codec) as before:
            placed = await first.to(before)
        async with store_on(stack, codec) as after:  # the process restarted
            return placed, await retry.to(after)

    placed, replayed = run(test())

    assert placed == Placed(first.order.order_id, replayed=False)
    assert replayed == Placed(first.order.order_id, replayed=True)
    assert rows_with_key(stack, user, "k-1") == [(first.order.order_id, first.claim.fingerprint)]
    assert written(stack, first.order) == (1, 1)
    assert written(stack, retry.order) == (0, 0)


def test_the_key_with_other_items_after_a_restart_is_refused(
    stack: Settings, codec: EventCodec
) -> None:
    user = fresh_user()
    first, other = Request(user, ["item1"], "k-1"), Request(user, ["item2"], "k-1")

    async def test() -> None:
        async with store_on(stack, codec) as before:
            await first.to(before)
        async with store_on(stack, codec) as after:
            await other.to(after)

    with pytest.raises(IdempotencyKeyReused):
        run(test())
    assert written(stack, other.order) == (0, 0)
    assert [order_id for order_id, _ in rows_with_key(stack, user, "k-1")] == [first.order.order_id]


def test_two_processes_racing_with_one_key_place_one_order(
    stack: Settings, codec: EventCodec
) -> None:
    user = fresh_user()
    one, two = Request(user, ["item1"], "k-1"), Request(user, ["item1"], "k-1")

    async def test() -> list[Placed]:
        async with store_on(stack, codec) as a, store_on(stack, codec) as b:
            return list(await asyncio.gather(one.to(a), two.to(b)))

    answers = run(test())

    (holder,) = rows_with_key(stack, user, "k-1")
    assert {placed.order_id for placed in answers} == {holder[0]}
    assert sorted(placed.replayed for placed in answers) == [False, True]


def test_two_requests_with_one_key_in_one_batch_place_one_order(
    stack: Settings, codec: EventCodec
) -> None:
    # Submitted in one loop turn, both are pending when the first writer starts,
    # so GroupCommit writes them in one transaction: the index sees its own batch.
    user = fresh_user()
    one, two = Request(user, ["item3"], "k-1"), Request(user, ["item3"], "k-1")
    other = Request(user, ["item1"], "k-1")

    async def test() -> list[Placed | BaseException]:
        async with store_on(stack, codec) as store:
            return list(
                await asyncio.gather(
                    one.to(store), two.to(store), other.to(store), return_exceptions=True
                )
            )

    first, second, third = run(test())

    assert first == Placed(one.order.order_id, replayed=False)
    assert second == Placed(one.order.order_id, replayed=True)
    assert isinstance(third, IdempotencyKeyReused)
    assert len(rows_with_key(stack, user, "k-1")) == 1


@pytest.mark.parametrize("holder_commits", [True, False], ids=["commits", "rolls back"])
def test_a_request_waits_for_the_transaction_that_holds_its_key(
    stack: Settings, codec: EventCodec, holder_commits: bool
) -> None:
    """The other process's transaction is held open here; the store's insert must
    wait on it (seen in pg_blocking_pids), then answer what that transaction did."""
    user = fresh_user()
    held, waiting = Request(user, ["item1"], "k-1"), Request(user, ["item1"], "k-1")

    async def test() -> Placed:
        dsn = stack.service_dsn(ORDER.role(stack))
        async with (
            await psycopg.AsyncConnection.connect(dsn) as other,
            store_on(stack, codec) as store,
        ):
            await other.execute(
                "INSERT INTO orders.orders (order_id, user_id, items, total_cents, status,"
                " created_at, updated_at, idempotency_key, request_hash)"
                " VALUES (%s, %s, %s, 1250, 'Order Created', now(), now(), %s, %s)",
                (held.order.order_id, user, ["item1"], "k-1", held.claim.fingerprint),
            )
            placing = asyncio.create_task(waiting.to(store))
            await blocked_by(other)
            await (other.commit() if holder_commits else other.rollback())
            return await placing

    placed = run(test())

    if holder_commits:
        assert placed == Placed(held.order.order_id, replayed=True)
        assert written(stack, waiting.order) == (0, 0)
    else:
        assert placed == Placed(waiting.order.order_id, replayed=False)
        assert written(stack, waiting.order) == (1, 1)


async def blocked_by(holder: psycopg.AsyncConnection[Any]) -> None:
    """Return once some backend waits for ``holder``'s transaction (polled: Postgres
    tells no one when a lock wait starts)."""
    async with await psycopg.AsyncConnection.connect(holder.info.dsn) as watcher:
        await watcher.set_autocommit(True)
        while True:
            cur = await watcher.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE %s = ANY(pg_blocking_pids(pid))",
                (holder.info.backend_pid,),
            )
            row = await cur.fetchone()
            if row is not None and row[0] > 0:
                return
            await asyncio.sleep(0.01)


def test_an_order_without_a_key_has_neither_column(stack: Settings, codec: EventCodec) -> None:
    order, created = place_order(
        OrderId(time_ordered_id()), fresh_user(), ["item1"], PRICES_CENTS, fresh_stamp()
    )

    async def test() -> Placed:
        async with store_on(stack, codec) as store:
            return await store.place(order, created, TRACEPARENT, None)

    assert run(test()) == Placed(order.order_id)
    with psycopg.connect(stack.postgres_dsn) as conn:
        row = conn.execute(
            "SELECT idempotency_key, request_hash FROM orders.orders WHERE order_id = %s",
            (order.order_id,),
        ).fetchone()
    assert row == (None, None)


def test_the_outbox_event_of_a_replayed_request_is_never_written(
    stack: Settings, codec: EventCodec
) -> None:
    user = fresh_user()
    first, retry = Request(user, ["item2"], "k-1"), Request(user, ["item2"], "k-1")
    seen: list[OrderCreated] = []

    class Recording(Outbox):
        async def write_async(self, cur: Any, events: Any, traceparents: Any) -> None:
            seen.extend(events)
            await super().write_async(cur, events, traceparents)

    async def test() -> None:
        pool = AsyncConnectionPool(
            stack.service_dsn(ORDER.role(stack)), min_size=1, max_size=2, open=False
        )
        await pool.open(wait=True, timeout=30)
        try:
            store = OrderStore(pool, Recording(ORDER.schema, codec))
            await first.to(store)
            await retry.to(store)
        finally:
            await pool.close()

    run(test())

    assert [event.order_id for event in seen] == [first.order.order_id]
