"""ConsumerLoop's ``metrics`` and ``tracing``: what a running consumer counts and carries.

The fakes are those of tests/unit/messaging/test_consumer_loop.py: a source that hands
out the given batches then stops the loop, and a dead-letter sink that records.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import UTC, datetime

import psycopg
import pytest
from confluent_kafka import TIMESTAMP_CREATE_TIME, Message
from confluent_kafka.schema_registry import SchemaRegistryClient
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from prometheus_client import REGISTRY

from orderflow.events.codec import EventCodec
from orderflow.events.ids import EventId, ItemId, OrderId, UserId
from orderflow.events.model import Event, OrderCreated
from orderflow.events.registration import register_schemas
from orderflow.events.topics import ORDER_EVENTS
from orderflow.messaging.consumer import ConsumerLoop
from orderflow.messaging.decision import NotYetVisible
from orderflow.observability import tracing
from orderflow.observability.metrics import Outcome, ServiceMetrics
from orderflow.observability.trace_context import batch_traceparents
from orderflow.observability.tracing import BatchTracing, RecordedSpans


class FakeSource:
    def __init__(self, batches: list[list[Message]], stop: threading.Event) -> None:
        self._batches = batches
        self._stop = stop
        self.done_batches: list[list[Message]] = []

    def next_batch(self) -> list[Message]:
        if not self._batches:
            self._stop.set()
            return []
        return self._batches.pop(0)

    def done(self, messages: Sequence[Message]) -> None:
        self.done_batches.append(list(messages))

    def close(self) -> None:
        pass


class FakeDeadLetters:
    def __init__(self) -> None:
        self.sent: list[tuple[int | None, str]] = []

    def send(self, message: Message, reason: str) -> None:
        self.sent.append((message.offset(), reason))

    def flush(self) -> None:
        pass


@pytest.fixture(scope="module")
def codec() -> EventCodec:
    client = SchemaRegistryClient.new_client({"url": "mock://consumer-observed-tests"})
    register_schemas(client, "mock://consumer-observed-tests")
    return EventCodec(client)


@pytest.fixture
def metrics() -> ServiceMetrics:
    return ServiceMetrics(f"svc-{uuid.uuid4().hex}", f"group-{uuid.uuid4().hex}")


def created(n: int) -> OrderCreated:
    return OrderCreated(
        event_id=EventId(f"00000000-0000-4000-8000-{n:012d}"),
        order_id=OrderId(f"order-{n}"),
        occurred_at=datetime(2026, 1, 1, tzinfo=UTC),
        user_id=UserId("u"),
        items=(ItemId("item1"),),
        total_cents=1,
    )


def message(
    offset: int,
    value: bytes,
    headers: Mapping[str, bytes] | None = None,
    topic: str = ORDER_EVENTS,
    timestamp_ms: int = 1_767_225_600_000,
) -> Message:
    return Message(
        topic=topic,
        partition=0,
        offset=offset,
        key=f"order-{offset}".encode(),
        value=value,
        headers=list((headers or {}).items()),
        timestamp=(TIMESTAMP_CREATE_TIME, timestamp_ms),
    )


def run(
    codec: EventCodec,
    batches: list[list[Message]],
    process: Callable[[Sequence[Event]], None],
    metrics: ServiceMetrics,
    tracing: BatchTracing | None = None,
) -> tuple[FakeSource, FakeDeadLetters]:
    stop = threading.Event()
    source, dead = FakeSource(batches, stop), FakeDeadLetters()
    ConsumerLoop(
        source=source,
        codec=codec,
        process=process,
        dead_letters=dead,
        stop=stop,
        service=metrics.service,
        metrics=metrics,
        tracing=tracing,
    ).run()
    return source, dead


def counted(metrics: ServiceMetrics, topic: str, event_type: str, outcome: Outcome) -> float:
    value = REGISTRY.get_sample_value(
        "orderflow_events_total",
        {
            "service": metrics.service,
            "topic": topic,
            "event_type": event_type,
            "outcome": outcome.value,
        },
    )
    return value or 0.0


def traceparent(n: int) -> str:
    return f"00-{n:032x}-{n:016x}-01"


# dead letters


def test_an_undecodable_message_is_counted_under_its_topic_and_event_type_header(
    codec: EventCodec, metrics: ServiceMetrics
) -> None:
    batch = [
        message(0, codec.encode(created(0)), {"eventType": b"OrderCreated"}),
        message(1, b"garbage", {"eventType": b"PaymentCompleted"}, topic="PaymentEventsTopic"),
        message(2, b"more garbage", {"eventType": b"PaymentCompleted"}, topic="PaymentEventsTopic"),
    ]

    _, dead = run(codec, [batch], lambda _: None, metrics)

    assert [offset for offset, _ in dead.sent] == [1, 2]
    dead_lettered = Outcome.DEAD_LETTERED
    assert counted(metrics, "PaymentEventsTopic", "PaymentCompleted", dead_lettered) == 2
    assert counted(metrics, ORDER_EVENTS, "OrderCreated", dead_lettered) == 0


def test_an_undecodable_message_without_an_event_type_header_counts_as_unknown(
    codec: EventCodec, metrics: ServiceMetrics
) -> None:
    run(codec, [[message(0, b"garbage", {"id": b"x"})]], lambda _: None, metrics)

    assert counted(metrics, ORDER_EVENTS, "unknown", Outcome.DEAD_LETTERED) == 1


def test_an_event_whose_handler_fails_is_counted_under_its_type(
    codec: EventCodec, metrics: ServiceMetrics
) -> None:
    def process(events: Sequence[Event]) -> None:
        if created(1) in events:
            raise ValueError("bad order")

    batch = [message(i, codec.encode(created(i))) for i in range(3)]

    _, dead = run(codec, [batch], process, metrics)

    assert [offset for offset, _ in dead.sent] == [1]
    assert counted(metrics, ORDER_EVENTS, "OrderCreated", Outcome.DEAD_LETTERED) == 1


# retries


def failing_first(
    times: int, error: Exception
) -> tuple[Callable[[Sequence[Event]], None], list[int]]:
    attempts: list[int] = []

    def process(events: Sequence[Event]) -> None:
        attempts.append(len(events))
        if len(attempts) <= times:
            raise error

    return process, attempts


def test_a_batch_retried_on_not_yet_visible_counts_each_retry(
    codec: EventCodec, metrics: ServiceMetrics
) -> None:
    process, attempts = failing_first(2, NotYetVisible("order row not visible yet"))
    batch = [message(i, codec.encode(created(i))) for i in range(2)]

    source, dead = run(codec, [batch], process, metrics)

    assert attempts == [2, 2, 2]
    assert dead.sent == []
    # Two retries of a batch of two.
    assert counted(metrics, ORDER_EVENTS, "OrderCreated", Outcome.RETRIED) == 4
    assert counted(metrics, ORDER_EVENTS, "OrderCreated", Outcome.DEAD_LETTERED) == 0
    assert source.done_batches == [batch]


def test_a_batch_retried_on_a_database_outage_counts_the_retry(
    codec: EventCodec, metrics: ServiceMetrics
) -> None:
    process, attempts = failing_first(1, psycopg.OperationalError("connection refused"))
    batch = [message(0, codec.encode(created(0)))]

    _, dead = run(codec, [batch], process, metrics)

    assert attempts == [1, 1]
    assert dead.sent == []
    assert counted(metrics, ORDER_EVENTS, "OrderCreated", Outcome.RETRIED) == 1


def test_a_batch_that_succeeds_at_once_counts_no_retry(
    codec: EventCodec, metrics: ServiceMetrics
) -> None:
    run(codec, [[message(0, codec.encode(created(0)))]], lambda _: None, metrics)

    assert counted(metrics, ORDER_EVENTS, "OrderCreated", Outcome.RETRIED) == 0


# batch timing and the oldest record's age


def test_each_batch_is_timed_and_its_records_ages_seen_while_in_hand(codec: EventCodec) -> None:
    group = f"group-{uuid.uuid4().hex}"
    metrics = ServiceMetrics(f"svc-{uuid.uuid4().hex}", group, clock=lambda: 2_000.0)
    oldest: list[float | None] = []

    def process(events: Sequence[Event]) -> None:
        oldest.append(
            REGISTRY.get_sample_value("orderflow_oldest_unhandled_seconds", {"group": group})
        )

    first = [
        message(0, codec.encode(created(0)), timestamp_ms=1_995_000),
        message(1, codec.encode(created(1)), timestamp_ms=1_990_000),
    ]
    second = [message(2, codec.encode(created(2)), timestamp_ms=1_999_500)]

    run(codec, [first, second], process, metrics)

    assert oldest == [10.0, 0.5]
    # Then the loop found nothing more: idle.
    assert REGISTRY.get_sample_value("orderflow_oldest_unhandled_seconds", {"group": group}) == 0
    service = {"service": metrics.service}
    assert REGISTRY.get_sample_value("orderflow_batch_seconds_count", service) == 2
    assert REGISTRY.get_sample_value("orderflow_event_seconds_count", service) == 3


# trace context


def test_the_records_traceparent_headers_are_the_batchs_inside_process(
    codec: EventCodec, metrics: ServiceMetrics
) -> None:
    seen: list[dict[str, str]] = []
    batch = [
        message(0, codec.encode(created(0)), {"traceparent": traceparent(10).encode()}),
        message(1, codec.encode(created(1))),
        message(2, codec.encode(created(2)), {"traceparent": traceparent(12).encode()}),
    ]

    run(codec, [batch], lambda _: seen.append(dict(batch_traceparents())), metrics)

    assert seen == [{"order-0": traceparent(10), "order-2": traceparent(12)}]
    assert batch_traceparents() == {}


def test_the_traceparents_stay_set_while_a_failed_batch_is_retried_one_by_one(
    codec: EventCodec, metrics: ServiceMetrics
) -> None:
    seen: list[dict[str, str]] = []

    def process(events: Sequence[Event]) -> None:
        seen.append(dict(batch_traceparents()))
        if len(events) > 1:
            raise ValueError("one of them is bad")

    batch = [
        message(i, codec.encode(created(i)), {"traceparent": traceparent(i + 1).encode()})
        for i in range(2)
    ]

    run(codec, [batch], process, metrics)

    everything = {"order-0": traceparent(1), "order-1": traceparent(2)}
    assert seen == [everything, everything, everything]


@pytest.fixture
def exporter(monkeypatch: pytest.MonkeyPatch) -> Iterator[InMemorySpanExporter]:
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    monkeypatch.setattr(tracing, "_tracer", provider.get_tracer("test"))
    yield exporter
    provider.shutdown()


def test_with_spans_each_event_continues_its_records_trace(
    codec: EventCodec, metrics: ServiceMetrics, exporter: InMemorySpanExporter
) -> None:
    seen: list[dict[str, str]] = []
    batch = [message(0, codec.encode(created(0)), {"traceparent": traceparent(7).encode()})]

    run(codec, [batch], lambda _: seen.append(dict(batch_traceparents())), metrics, RecordedSpans())

    [span] = exporter.get_finished_spans()
    assert span.parent is not None
    assert span.parent.span_id == 7
    assert span.context is not None
    assert span.context.trace_id == 7
    assert span.name == f"{metrics.service} handle OrderCreated"
    [carried] = seen
    assert carried["order-0"].split("-")[1] == f"{7:032x}"
    assert carried["order-0"].split("-")[2] == f"{span.context.span_id:016x}"
