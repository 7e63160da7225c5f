"""Inbox, effect and outbox in one transaction, against the stack's Postgres."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime

import psycopg
import pytest
from confluent_kafka.schema_registry import SchemaRegistryClient
from psycopg.rows import TupleRow
from psycopg_pool import ConnectionPool

from orderflow.events.codec import EventCodec
from orderflow.events.ids import EventId, ItemId, OrderId, UserId
from orderflow.events.model import OrderCreated
from orderflow.messaging.inbox import Inbox
from orderflow.messaging.outbox import Outbox
from orderflow.messaging.processor import Handler, Processor
from orderflow.messaging.unit import Unit
from orderflow.settings import Settings

pytestmark = pytest.mark.stack

Cursor = psycopg.Cursor[TupleRow]


class Effects:
    """A stand-in service state: one row per handled event."""

    def __init__(self, cur: Cursor) -> None:
        self.cur = cur

    def record(self, event_id: str) -> None:
        self.cur.execute("INSERT INTO public.processor_test_effects VALUES (%s)", (event_id,))


def _record(event: OrderCreated, unit: Unit[Effects]) -> None:
    unit.store.record(event.event_id)


def _explode(event: OrderCreated, unit: Unit[Effects]) -> None:
    unit.store.record(event.event_id)
    raise RuntimeError("handler failed after its effect")


@pytest.fixture
def pool(stack: Settings) -> Iterator[ConnectionPool]:
    with ConnectionPool(stack.postgres_dsn, min_size=1, max_size=2) as opened:
        with opened.connection() as conn:
            conn.execute("CREATE TABLE IF NOT EXISTS public.processor_test_effects (event_id uuid)")
        yield opened


def _processor(
    pool: ConnectionPool, handler: Handler[Effects], consumer: str
) -> Processor[Effects]:
    codec = EventCodec(SchemaRegistryClient.new_client({"url": "mock://processor"}))
    return Processor(
        pool=pool,
        inbox=Inbox("orders", consumer),
        outbox=Outbox("orders", codec),
        handlers={OrderCreated: handler},
        store=Effects,
    )


def _event() -> OrderCreated:
    return OrderCreated(
        event_id=EventId(str(uuid.uuid4())),
        order_id=OrderId(str(uuid.uuid4())),
        occurred_at=datetime.now(UTC),
        user_id=UserId("u"),
        items=(ItemId("item1"),),
        total_cents=1,
    )


def _effects(pool: ConnectionPool, event_id: str) -> int:
    with pool.connection() as conn:
        row = conn.execute(
            "SELECT count(*) FROM public.processor_test_effects WHERE event_id = %s", (event_id,)
        ).fetchone()
    assert row is not None
    return int(row[0])


def test_redelivery_has_no_second_effect(pool: ConnectionPool) -> None:
    process = _processor(pool, _record, f"test-{uuid.uuid4()}")
    event = _event()

    process([event, event])  # twice in one batch
    process([event])  # and again later

    assert _effects(pool, event.event_id) == 1


def test_a_failed_handler_leaves_neither_effect_nor_inbox_mark(pool: ConnectionPool) -> None:
    consumer = f"test-{uuid.uuid4()}"
    event = _event()

    with pytest.raises(RuntimeError):
        _processor(pool, _explode, consumer)([event])
    assert _effects(pool, event.event_id) == 0

    _processor(pool, _record, consumer)([event])  # so the redelivery is handled
    assert _effects(pool, event.event_id) == 1


def test_consumers_have_inboxes_of_their_own(pool: ConnectionPool) -> None:
    event = _event()

    _processor(pool, _record, f"test-{uuid.uuid4()}")([event])
    _processor(pool, _record, f"test-{uuid.uuid4()}")([event])

    assert _effects(pool, event.event_id) == 2
