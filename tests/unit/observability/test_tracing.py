"""tracing: traceparent_of, order_trace, CarriedContext and RecordedSpans, configure_tracing.

RecordedSpans is tested with a real SDK TracerProvider of the test's own (the module's
``_tracer`` swapped for one of it), never by setting the global provider.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime

import pytest
from opentelemetry import trace
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanContext, SpanKind, StatusCode, TraceFlags

from orderflow.events.ids import EventId, ItemId, OrderId, UserId
from orderflow.events.model import Event, OrderCreated
from orderflow.observability import tracing
from orderflow.observability.trace_context import batch_traceparents
from orderflow.observability.tracing import (
    CarriedContext,
    RecordedSpans,
    batch_tracing,
    configure_tracing,
    exporting_requested,
    order_trace,
    traceparent_of,
)

TRACEPARENT_SHAPE = re.compile(r"00-([0-9a-f]{32})-([0-9a-f]{16})-0[01]")


@dataclass(frozen=True)
class Arrived:
    event: Event
    traceparent: str | None
    topic: str = "OrderEventsTopic"


def created(order: str) -> OrderCreated:
    return OrderCreated(
        event_id=EventId(str(uuid.uuid4())),
        order_id=OrderId(order),
        occurred_at=datetime(2026, 1, 1, tzinfo=UTC),
        user_id=UserId("u"),
        items=(ItemId("item1"),),
        total_cents=1,
    )


def inbound(trace_id: int, span_id: int) -> str:
    return f"00-{trace_id:032x}-{span_id:016x}-01"


# traceparent_of


def test_traceparent_of_a_sampled_context() -> None:
    context = SpanContext(
        trace_id=0x4BF92F3577B34DA6A3CE929D0E0E4736,
        span_id=0x00F067AA0BA902B7,
        is_remote=False,
        trace_flags=TraceFlags(TraceFlags.SAMPLED),
    )

    assert traceparent_of(context) == "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"


def test_traceparent_of_pads_small_ids_and_marks_an_unsampled_context() -> None:
    context = SpanContext(trace_id=1, span_id=2, is_remote=False)

    assert traceparent_of(context) == f"00-{1:032x}-{2:016x}-00"


# order_trace


def test_order_trace_without_an_sdk_gives_a_valid_traceparent_of_its_trace_id() -> None:
    assert not isinstance(trace.get_tracer_provider(), TracerProvider)

    with order_trace("POST /order", "order-1") as found:
        pass

    shape = TRACEPARENT_SHAPE.fullmatch(found.traceparent)
    assert shape is not None, found.traceparent
    assert shape.group(1) == found.trace_id
    assert found.trace_id != "0" * 32
    assert shape.group(2) != "0" * 16


def test_order_trace_without_an_sdk_starts_a_new_trace_each_time() -> None:
    with order_trace("POST /order", "order-1") as first:
        pass
    with order_trace("POST /order", "order-2") as second:
        pass

    assert first.trace_id != second.trace_id
    assert first.traceparent != second.traceparent


# with spans recorded


@pytest.fixture
def exporter(monkeypatch: pytest.MonkeyPatch) -> Iterator[InMemorySpanExporter]:
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    monkeypatch.setattr(tracing, "_tracer", provider.get_tracer("test"))
    monkeypatch.setattr(tracing, "_recording", True)
    yield exporter
    provider.shutdown()


def finished(exporter: InMemorySpanExporter) -> list[ReadableSpan]:
    return list(exporter.get_finished_spans())


def test_order_trace_with_an_sdk_is_the_requests_server_span(
    exporter: InMemorySpanExporter,
) -> None:
    with order_trace("POST /order", "order-1") as found:
        pass

    [span] = finished(exporter)
    assert span.kind == SpanKind.SERVER
    assert span.name == "POST /order"
    assert span.attributes is not None
    assert span.attributes["orderflow.order_id"] == "order-1"
    assert span.context is not None
    assert found.traceparent == traceparent_of(span.context)
    assert found.trace_id == f"{span.context.trace_id:032x}"


def test_recorded_spans_are_one_consumer_span_per_event_child_of_its_record(
    exporter: InMemorySpanExporter,
) -> None:
    received = [
        Arrived(created("order-1"), inbound(0xA1, 0xB1)),
        Arrived(created("order-2"), inbound(0xA2, 0xB2), topic="InventoryEventsTopic"),
    ]

    with RecordedSpans().batch("shipping", received):
        pass

    spans = sorted(finished(exporter), key=lambda s: s.context.trace_id if s.context else 0)
    assert len(spans) == 2
    for span, arrived, (trace_id, span_id) in zip(
        spans, received, [(0xA1, 0xB1), (0xA2, 0xB2)], strict=True
    ):
        assert span.kind == SpanKind.CONSUMER
        assert span.name == "shipping handle OrderCreated"
        assert span.parent is not None
        assert span.parent.span_id == span_id
        assert span.context is not None
        assert span.context.trace_id == trace_id
        assert span.context.span_id != span_id
        assert span.attributes is not None
        assert span.attributes["messaging.destination.name"] == arrived.topic
        assert span.attributes["orderflow.service"] == "shipping"
        assert span.attributes["orderflow.order_id"] == arrived.event.order_id
        assert span.attributes["orderflow.event_id"] == arrived.event.event_id
        assert span.status.status_code == StatusCode.UNSET


def test_an_event_without_a_traceparent_gets_a_root_span(exporter: InMemorySpanExporter) -> None:
    with RecordedSpans().batch("inventory", [Arrived(created("order-1"), None)]):
        pass

    [span] = finished(exporter)
    assert span.parent is None
    assert span.kind == SpanKind.CONSUMER


def test_inside_the_batch_each_order_carries_its_new_spans_context(
    exporter: InMemorySpanExporter,
) -> None:
    received = [
        Arrived(created("order-1"), inbound(0xA1, 0xB1)),
        Arrived(created("order-2"), None),
    ]

    with RecordedSpans().batch("payment", received):
        carried = dict(batch_traceparents())
        still_open = finished(exporter)

    assert still_open == []  # the spans end after the block, not before
    by_order = {s.attributes["orderflow.order_id"]: s for s in finished(exporter) if s.attributes}
    assert set(carried) == {"order-1", "order-2"}
    for order, span in by_order.items():
        assert span.context is not None
        assert carried[str(order)] == traceparent_of(span.context)
    assert carried["order-1"].split("-")[1] == f"{0xA1:032x}"
    assert carried["order-1"].split("-")[2] != f"{0xB1:016x}"
    assert batch_traceparents() == {}


def test_a_failing_batch_marks_its_spans_as_errors_and_raises(
    exporter: InMemorySpanExporter,
) -> None:
    received = [Arrived(created("order-1"), inbound(1, 2)), Arrived(created("order-2"), None)]

    with pytest.raises(ValueError, match="handler"), RecordedSpans().batch("order", received):
        raise ValueError("handler")

    spans = finished(exporter)
    assert len(spans) == 2  # ended all the same
    assert {s.status.status_code for s in spans} == {StatusCode.ERROR}
    assert {s.status.description for s in spans} == {"ValueError"}


def test_batch_tracing_records_spans_only_when_asked() -> None:
    assert isinstance(batch_tracing(True), RecordedSpans)
    assert isinstance(batch_tracing(False), CarriedContext)


# without spans


def test_carried_context_passes_each_records_traceparent_on_by_order() -> None:
    received = [
        Arrived(created("order-1"), inbound(1, 2)),
        Arrived(created("order-2"), None),
        Arrived(created("order-3"), inbound(3, 4)),
    ]

    with CarriedContext().batch("inventory", received):
        carried = dict(batch_traceparents())

    assert carried == {"order-1": inbound(1, 2), "order-3": inbound(3, 4)}
    assert batch_traceparents() == {}


def test_carried_context_records_no_span(exporter: InMemorySpanExporter) -> None:
    with CarriedContext().batch("inventory", [Arrived(created("order-1"), inbound(1, 2))]):
        pass

    assert finished(exporter) == []


# configuration


@pytest.mark.parametrize(
    ("environ", "requested"),
    [
        ({}, False),
        ({"OTEL_EXPORTER_OTLP_ENDPOINT": ""}, False),
        ({"OTEL_SERVICE_NAME": "orderflow-order"}, False),
        ({"OTEL_EXPORTER_OTLP_ENDPOINT": "http://collector:4318"}, True),
        ({"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": "http://collector:4318/v1/traces"}, True),
    ],
)
def test_exporting_requested(environ: dict[str, str], requested: bool) -> None:
    assert exporting_requested(environ) is requested


def test_configure_tracing_without_the_variables_changes_nothing() -> None:
    before = trace.get_tracer_provider()

    assert configure_tracing("order", {}) is False
    assert configure_tracing("order", {"OTEL_SERVICE_NAME": "x"}) is False
    assert trace.get_tracer_provider() is before
