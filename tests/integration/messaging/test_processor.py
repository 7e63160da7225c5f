"""Inbox, effect and outbox in one transaction, against the stack's Postgres."""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

import psycopg
import pytest
from confluent_kafka.schema_registry import SchemaRegistryClient
from psycopg.rows import TupleRow
from psycopg_pool import ConnectionPool

from orderflow.events.codec import EventCodec
from orderflow.events.ids import EventId, ItemId, OrderId, UserId
from orderflow.events.model import Event, OrderCreated
from orderflow.events.stamp import Stamp
from orderflow.messaging.decision import Decision, Handlers, on
from orderflow.messaging.inbox import Inbox
from orderflow.messaging.outbox import Outbox
from orderflow.messaging.postgres import PostgresTransactions
from orderflow.messaging.processor import Processor
from orderflow.settings import Settings

pytestmark = pytest.mark.stack

Cursor = psycopg.Cursor[TupleRow]


@dataclass
class Seen:
    """A stand-in service state: the event ids handled."""

    event_ids: list[str] = field(default_factory=list)

    def fold(self, change: str) -> None:
        self.event_ids.append(change)


class Effects:
    """Its store: one row per handled event."""

    def __init__(self, cur: Cursor) -> None:
        self.cur = cur

    def load(self, events: Sequence[Event]) -> Seen:
        return Seen()

    def apply(self, changes: Sequence[str]) -> None:
        for event_id in changes:
            self.cur.execute("INSERT INTO public.processor_test_effects VALUES (%s)", (event_id,))


def _record(event: OrderCreated, _view: Seen, _stamp: Stamp) -> Decision[str]:
    return Decision((event.event_id,))


class _ExplodingAfterApply(Effects):
    """Writes its effect, then fails before the transaction commits."""

    def apply(self, changes: Sequence[str]) -> None:
        super().apply(changes)
        raise RuntimeError("failed after its effect")


@pytest.fixture
def pool(stack: Settings) -> Iterator[ConnectionPool]:
    with ConnectionPool(stack.postgres_dsn, min_size=1, max_size=2) as opened:
        with opened.connection() as conn:
            conn.execute("CREATE TABLE IF NOT EXISTS public.processor_test_effects (event_id uuid)")
        yield opened


def _processor(
    pool: ConnectionPool, consumer: str, store: type[Effects] = Effects
) -> Processor[Seen, str]:
    codec = EventCodec(SchemaRegistryClient.new_client({"url": "mock://processor"}))
    return Processor(
        transactions=PostgresTransactions(
            pool, Inbox("orders", consumer), Outbox("orders", codec), store
        ),
        handlers=Handlers[Seen, str](on(OrderCreated, _record)),
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
    process = _processor(pool, f"test-{uuid.uuid4()}")
    event = _event()

    process([event, event])  # twice in one batch
    process([event])  # and again later

    assert _effects(pool, event.event_id) == 1


def test_a_failed_handler_leaves_neither_effect_nor_inbox_mark(pool: ConnectionPool) -> None:
    consumer = f"test-{uuid.uuid4()}"
    event = _event()

    with pytest.raises(RuntimeError):
        _processor(pool, consumer, _ExplodingAfterApply)([event])
    assert _effects(pool, event.event_id) == 0

    _processor(pool, consumer)([event])  # so the redelivery is handled
    assert _effects(pool, event.event_id) == 1


def test_consumers_have_inboxes_of_their_own(pool: ConnectionPool) -> None:
    event = _event()

    _processor(pool, f"test-{uuid.uuid4()}")([event])
    _processor(pool, f"test-{uuid.uuid4()}")([event])

    assert _effects(pool, event.event_id) == 2
