"""The consumer loop against a fake source: decoding, dead letters, retries, commits."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from datetime import UTC, datetime

import psycopg
import pytest
from confluent_kafka import Message
from confluent_kafka.schema_registry import SchemaRegistryClient

from orderflow.events.codec import EventCodec, RegistryUnavailable
from orderflow.events.ids import EventId, ItemId, OrderId, UserId
from orderflow.events.model import Event, OrderCreated
from orderflow.events.registration import register_schemas
from orderflow.messaging.consumer import ConsumerLoop
from orderflow.messaging.decision import NotYetVisible


class FakeSource:
    def __init__(self, batches: list[list[Message]], stop: threading.Event) -> None:
        self._batches = batches
        self._stop = stop
        self.done_batches: list[list[Message]] = []
        self.closed = False

    def next_batch(self) -> list[Message]:
        if not self._batches:
            self._stop.set()
            return []
        return self._batches.pop(0)

    def done(self, messages: Sequence[Message]) -> None:
        self.done_batches.append(list(messages))

    def close(self) -> None:
        self.closed = True


class FakeDeadLetters:
    def __init__(self) -> None:
        self.sent: list[tuple[int | None, str]] = []
        self.flushes = 0

    def send(self, message: Message, reason: str) -> None:
        self.sent.append((message.offset(), reason))

    def flush(self) -> None:
        self.flushes += 1


@pytest.fixture
def codec() -> EventCodec:
    client = SchemaRegistryClient.new_client({"url": "mock://loop-tests"})
    register_schemas(client, "mock://loop-tests")
    return EventCodec(client)


def _created(n: int) -> OrderCreated:
    return OrderCreated(
        event_id=EventId(f"00000000-0000-4000-8000-{n:012d}"),
        order_id=OrderId(f"order-{n}"),
        occurred_at=datetime(2026, 1, 1, tzinfo=UTC),
        user_id=UserId("u"),
        items=(ItemId("item1"),),
        total_cents=1,
    )


def _message(offset: int, value: bytes) -> Message:
    return Message(topic="OrderEventsTopic", partition=0, offset=offset, key=b"k", value=value)


def _run(
    codec: EventCodec,
    batches: list[list[Message]],
    process: Callable[[Sequence[Event]], None],
) -> tuple[FakeSource, FakeDeadLetters]:
    stop = threading.Event()
    source, dead = FakeSource(batches, stop), FakeDeadLetters()
    ConsumerLoop(
        source=source,
        codec=codec,
        process=process,
        dead_letters=dead,
        stop=stop,
    ).run()
    return source, dead


def test_a_batch_is_processed_at_once_then_marked_done(codec: EventCodec) -> None:
    seen: list[list[Event]] = []
    batch = [_message(i, codec.encode(_created(i))) for i in range(3)]

    source, dead = _run(codec, [batch], lambda events: seen.append(list(events)))

    assert seen == [[_created(0), _created(1), _created(2)]]
    assert source.done_batches == [batch]
    assert dead.sent == []
    assert source.closed


def test_undecodable_message_is_dead_lettered_and_the_rest_go_on(codec: EventCodec) -> None:
    seen: list[Event] = []
    batch = [
        _message(0, codec.encode(_created(0))),
        _message(1, b"garbage"),
        _message(2, codec.encode(_created(2))),
    ]

    source, dead = _run(codec, [batch], seen.extend)

    assert seen == [_created(0), _created(2)]
    assert [offset for offset, _ in dead.sent] == [1]
    assert dead.sent[0][1].startswith("undecodable")
    assert source.done_batches == [batch]  # the poison's offset is committed too


def test_a_failing_event_is_isolated_and_dead_lettered(codec: EventCodec) -> None:
    applied: list[Event] = []

    def process(events: Sequence[Event]) -> None:
        if _created(1) in events:
            raise ValueError("bad order")
        applied.extend(events)

    batch = [_message(i, codec.encode(_created(i))) for i in range(3)]

    source, dead = _run(codec, [batch], process)

    assert applied == [_created(0), _created(2)]
    assert dead.sent == [(1, "handler failed: ValueError('bad order')")]
    assert source.done_batches == [batch]


def test_database_outage_is_retried_not_dead_lettered(codec: EventCodec) -> None:
    attempts: list[int] = []

    def process(events: Sequence[Event]) -> None:
        attempts.append(len(events))
        if len(attempts) < 3:
            raise psycopg.OperationalError("connection refused")

    batch = [_message(0, codec.encode(_created(0)))]

    source, dead = _run(codec, [batch], process)

    assert attempts == [1, 1, 1]
    assert dead.sent == []
    assert source.done_batches == [batch]


def test_stop_during_an_outage_leaves_the_batch_uncommitted(codec: EventCodec) -> None:
    stop = threading.Event()

    def process(events: Sequence[Event]) -> None:
        stop.set()
        raise psycopg.OperationalError("connection refused")

    source, dead = FakeSource([[_message(0, codec.encode(_created(0)))]], stop), FakeDeadLetters()
    ConsumerLoop(source=source, codec=codec, process=process, dead_letters=dead, stop=stop).run()

    assert source.done_batches == []
    assert dead.sent == []
    assert source.closed


def test_an_event_ahead_of_its_data_is_retried_shortly(codec: EventCodec) -> None:
    attempts: list[int] = []

    def process(events: Sequence[Event]) -> None:
        attempts.append(len(events))
        if len(attempts) < 3:
            raise NotYetVisible("order row not visible yet")

    batch = [_message(0, codec.encode(_created(0)))]

    source, dead = _run(codec, [batch], process)

    assert attempts == [1, 1, 1]
    assert dead.sent == []
    assert source.done_batches == [batch]


def test_an_event_that_never_becomes_visible_is_dead_lettered(codec: EventCodec) -> None:
    def process(events: Sequence[Event]) -> None:
        raise NotYetVisible("no such order")

    batch = [_message(0, codec.encode(_created(0)))]

    source, dead = _run(codec, [batch], process)

    assert [offset for offset, _ in dead.sent] == [0]
    assert "no such order" in dead.sent[0][1]
    assert source.done_batches == [batch]


class FlakyRegistryCodec:
    """Decodes as ``codec`` does, after failing ``outages`` times as if the registry were down."""

    def __init__(self, codec: EventCodec, outages: int) -> None:
        self._codec = codec
        self.outages = outages

    def decode(self, topic: str, payload: bytes | None) -> Event:
        if self.outages:
            self.outages -= 1
            raise RegistryUnavailable("ConnectError: [Errno 111] Connection refused")
        return self._codec.decode(topic, payload)


def test_a_registry_outage_is_waited_out_not_dead_lettered(codec: EventCodec) -> None:
    # Found by the chaos run: the registry killed while the payment service met a
    # schema id it had not cached dead-lettered a valid ShipmentCreated, and the
    # order stayed Shipped for ever.
    seen: list[Event] = []
    batch = [_message(0, codec.encode(_created(0)))]
    stop = threading.Event()
    source, dead = FakeSource([batch], stop), FakeDeadLetters()
    flaky = FlakyRegistryCodec(codec, outages=2)

    ConsumerLoop(
        source=source, codec=flaky, process=seen.extend, dead_letters=dead, stop=stop
    ).run()

    assert flaky.outages == 0
    assert seen == [_created(0)]
    assert dead.sent == []
    assert source.done_batches == [batch]


def test_stop_during_a_registry_outage_leaves_the_batch_uncommitted(codec: EventCodec) -> None:
    stop = threading.Event()

    class DownRegistry:
        def decode(self, topic: str, payload: bytes | None) -> Event:
            stop.set()
            raise RegistryUnavailable("down")

    source, dead = FakeSource([[_message(0, codec.encode(_created(0)))]], stop), FakeDeadLetters()
    ConsumerLoop(
        source=source, codec=DownRegistry(), process=lambda _: None, dead_letters=dead, stop=stop
    ).run()

    assert source.done_batches == []
    assert dead.sent == []
