"""One trace per order: W3C trace context from ``POST /order`` to the last consumer.

The HTTP side starts the trace and writes its ``traceparent`` with the outbox
row; the connector places that column in a header of the same name on the
Kafka record (connectors/outbox-connector.json); each consumer continues the
trace from the header and writes the context on with the events it emits. So
the chain order → inventory → shipping → payment → status is one trace.

Spans are recorded and exported over OTLP only when the standard variables
ask for it (``OTEL_EXPORTER_OTLP_ENDPOINT`` or ``…_TRACES_ENDPOINT``). Without
them the context is still carried (a header copied from the record in to the
records out), which costs a dictionary lookup per event and no span at all,
and ``GET /orders/{id}`` still shows the order's trace id.
"""

from __future__ import annotations

import atexit
import os
import random
from collections.abc import Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from typing import Protocol

from opentelemetry import trace
from opentelemetry.trace import SpanKind, Status, StatusCode
from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator

from orderflow.events.model import Event, type_name
from orderflow.observability.trace_context import TRACEPARENT, carrying

_ENDPOINT_VARIABLES = ("OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT")

_propagator = TraceContextTextMapPropagator()
_tracer = trace.get_tracer("orderflow")
# Whether configure_tracing installed an SDK: without one a span is a no-op that
# still costs a context switch in and out, which order_trace skips.
_recording = False


def exporting_requested(environ: Mapping[str, str]) -> bool:
    return any(environ.get(name) for name in _ENDPOINT_VARIABLES)


def configure_tracing(service: str, environ: Mapping[str, str] = os.environ) -> bool:
    """Record spans and export them over OTLP if the environment asks; True if so.

    The SDK and the exporter load only then: a process that exports nothing
    keeps the API's no-op tracer.
    """
    if not exporting_requested(environ):
        return False
    from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
    from opentelemetry.sdk.resources import Resource
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import BatchSpanProcessor

    name = environ.get("OTEL_SERVICE_NAME") or f"orderflow-{service}"
    provider = TracerProvider(resource=Resource.create({"service.name": name}))
    provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))
    trace.set_tracer_provider(provider)
    global _recording
    _recording = True
    # A clean exit (SIGTERM) sends what is still queued.
    atexit.register(provider.shutdown)
    return True


def traceparent_of(context: trace.SpanContext) -> str:
    sampled = context.trace_flags.sampled
    return f"00-{context.trace_id:032x}-{context.span_id:016x}-{'01' if sampled else '00'}"


@dataclass(frozen=True)
class OrderTrace:
    traceparent: str
    trace_id: str


@contextmanager
def order_trace(name: str, order_id: str) -> Iterator[OrderTrace]:
    """The trace of a new order, around the request that places it.

    With spans recorded, it is the request's span; without, a fresh context of
    random ids (what a root span would get), so the order's records still share
    one trace id that the logs and ``GET /orders/{id}`` show.
    """
    if not _recording:
        yield _fresh_trace()
        return
    with _tracer.start_as_current_span(
        name, kind=SpanKind.SERVER, attributes={"orderflow.order_id": order_id}
    ) as span:
        context = span.get_span_context()
        yield _fresh_trace() if not context.is_valid else _trace_of(context)


def _fresh_trace() -> OrderTrace:
    trace_id, span_id = random.getrandbits(128) or 1, random.getrandbits(64) or 1
    return OrderTrace(f"00-{trace_id:032x}-{span_id:016x}-00", f"{trace_id:032x}")


def _trace_of(context: trace.SpanContext) -> OrderTrace:
    return OrderTrace(traceparent_of(context), f"{context.trace_id:032x}")


class Received(Protocol):
    """An event as it arrived: what the tracer needs of it and of its record."""

    @property
    def event(self) -> Event: ...

    @property
    def traceparent(self) -> str | None: ...

    @property
    def topic(self) -> str: ...


class BatchTracing(Protocol):
    def batch(self, service: str, received: Sequence[Received]) -> AbstractContextManager[None]:
        """Around a batch's handling: sets ``batch_traceparents`` for its outbox rows."""
        ...


class CarriedContext:
    """No spans: each order's events out carry the traceparent of its event in."""

    @contextmanager
    def batch(self, service: str, received: Sequence[Received]) -> Iterator[None]:
        carried: dict[str, str] = {
            r.event.order_id: r.traceparent for r in received if r.traceparent
        }
        with carrying(carried):
            yield


class RecordedSpans:
    """A consumer span per event, child of its record's context; the events out carry
    the span's own context, so the next service's span is its child."""

    @contextmanager
    def batch(self, service: str, received: Sequence[Received]) -> Iterator[None]:
        spans = []
        carried: dict[str, str] = {}
        for r in received:
            parent = _propagator.extract({TRACEPARENT: r.traceparent} if r.traceparent else {})
            span = _tracer.start_span(
                f"{service} handle {type_name(type(r.event))}",
                context=parent,
                kind=SpanKind.CONSUMER,
                attributes={
                    "messaging.system": "kafka",
                    "messaging.destination.name": r.topic,
                    "orderflow.service": service,
                    "orderflow.order_id": r.event.order_id,
                    "orderflow.event_id": r.event.event_id,
                },
            )
            spans.append(span)
            carried[r.event.order_id] = traceparent_of(span.get_span_context())
        try:
            with carrying(carried):
                yield
        except BaseException as error:
            for span in spans:
                span.set_status(Status(StatusCode.ERROR, type(error).__name__))
            raise
        finally:
            for span in spans:
                span.end()


def batch_tracing(recording: bool) -> BatchTracing:
    return RecordedSpans() if recording else CarriedContext()
