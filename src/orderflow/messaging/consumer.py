"""The consumer loop every service runs: batch, decode, process, dead-letter, commit."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Protocol

import psycopg
from confluent_kafka import TIMESTAMP_NOT_AVAILABLE, KafkaError, Message

from orderflow.events.codec import RegistryUnavailable, UndecodableEvent
from orderflow.events.model import Event, type_name
from orderflow.messaging.decision import NotYetVisible
from orderflow.messaging.source import Source
from orderflow.observability.logs import about_order
from orderflow.observability.metrics import Outcome, ServiceMetrics
from orderflow.observability.trace_context import TRACEPARENT, trace_id_of
from orderflow.observability.tracing import BatchTracing, CarriedContext

log = logging.getLogger(__name__)

_IGNORED_ERRORS = {KafkaError._PARTITION_EOF, KafkaError.UNKNOWN_TOPIC_OR_PART}
_RETRY_DELAYS_S = (0.1, 0.25, 0.5, 1.0, 2.0, 5.0)
_NOT_YET_DELAYS_S = (0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0)


class Decoder(Protocol):
    def decode(self, topic: str, payload: bytes | None) -> Event: ...


class DeadLetterSink(Protocol):
    def send(self, message: Message, reason: str) -> None: ...
    def flush(self) -> None: ...


@dataclass(frozen=True)
class Decoded:
    event: Event
    message: Message

    @property
    def topic(self) -> str:
        return str(self.message.topic())

    @property
    def traceparent(self) -> str | None:
        return header(self.message, TRACEPARENT)


class _Stopped(Exception):
    """Stop was requested while a batch was still failing; its offsets stay uncommitted."""


class ConsumerLoop:
    def __init__(
        self,
        *,
        source: Source,
        codec: Decoder,
        process: Callable[[Sequence[Event]], None],
        dead_letters: DeadLetterSink,
        stop: threading.Event,
        service: str = "consumer",
        metrics: ServiceMetrics | None = None,
        tracing: BatchTracing | None = None,
    ) -> None:
        self._source = source
        self._codec = codec
        self._process = process
        self._dead_letters = dead_letters
        self._stop = stop
        self._service = service
        self._metrics = metrics
        self._tracing = tracing or CarriedContext()

    def run(self) -> None:
        """Consume until ``stop`` is set; finish the batch in hand, commit, close."""
        try:
            while not self._stop.is_set():
                batch = self._source.next_batch()
                if batch:
                    self.handle(batch)
                elif self._metrics is not None:
                    self._metrics.idle()
        except _Stopped:
            log.info("stopped with a failing batch; it will be redelivered")
        finally:
            self._source.close()

    def handle(self, batch: list[Message]) -> None:
        """Decode, process and dead-letter one batch, then mark it done."""
        started = time.perf_counter()
        if self._metrics is not None:
            self._metrics.received(_timestamps_ms(batch))
        decoded: list[Decoded] = []
        for message in batch:
            error = message.error()
            if error is not None:
                if error.code() not in _IGNORED_ERRORS:
                    log.warning("consumer error: %s", error)
                continue
            try:
                event = self._decode(message)
            except UndecodableEvent as bad:
                # The record's key is its order's id, whatever the value holds.
                with about_order(_key(message), trace_id_of(header(message, TRACEPARENT))):
                    log.warning("dead-lettering %s: %s", _where(message), bad)
                self._dead_letters.send(message, f"undecodable: {bad}")
                if self._metrics is not None:
                    self._metrics.count_dead_letter(str(message.topic()), _event_type(message))
                continue
            decoded.append(Decoded(event, message))
        if self._metrics is not None:
            self._metrics.arrived(d.event for d in decoded)
        with self._tracing.batch(self._service, decoded):
            self._apply(decoded)
        # Dead letters reach the broker before their offsets are committed.
        self._dead_letters.flush()
        self._source.done(batch)
        if self._metrics is not None:
            self._metrics.handled_batch(len(batch), time.perf_counter() - started)

    def _decode(self, message: Message) -> Event:
        """Decode ``message``, waiting out a registry outage for as long as it takes:
        an event is dead-lettered for what it is, never because the registry was down."""
        outages = 0
        while True:
            try:
                return self._codec.decode(str(message.topic()), message.value())
            except RegistryUnavailable:
                log.warning("schema registry unavailable; retrying", exc_info=True)
            if self._stop.wait(_RETRY_DELAYS_S[min(outages, len(_RETRY_DELAYS_S) - 1)]):
                raise _Stopped from None
            outages += 1

    def _apply(self, decoded: list[Decoded]) -> None:
        if not decoded:
            return
        events = [d.event for d in decoded]
        try:
            self._retrying(partial(self._process, events), events)
        except _Stopped:
            raise
        except Exception:
            # One event fails the whole batch; apply them one by one to find it,
            # dead-letter it, and let the others through.
            log.exception("batch failed; retrying its %d events one by one", len(decoded))
            for one in decoded:
                try:
                    self._retrying(partial(self._process, [one.event]), [one.event])
                except _Stopped:
                    raise
                except Exception as error:
                    with about_order(one.event.order_id, trace_id_of(one.traceparent)):
                        log.exception("dead-lettering %s", _where(one.message))
                    self._dead_letters.send(one.message, f"handler failed: {error!r}")
                    if self._metrics is not None:
                        self._metrics.count_dead_letter(one.topic, type_name(type(one.event)))

    def _retrying(self, attempt: Callable[[], None], events: Sequence[Event]) -> None:
        """Run ``attempt``; retry while Postgres is unreachable (for as long as it takes)
        or an event is ahead of what it refers to (a few times), not on other errors."""
        outages = not_yet = 0
        while True:
            try:
                attempt()
                return
            except psycopg.OperationalError:
                log.warning("database unavailable; retrying", exc_info=True)
                delay = _RETRY_DELAYS_S[min(outages, len(_RETRY_DELAYS_S) - 1)]
                outages += 1
            except NotYetVisible:
                if not_yet == len(_NOT_YET_DELAYS_S):
                    raise
                delay = _NOT_YET_DELAYS_S[not_yet]
                not_yet += 1
            if self._metrics is not None:
                self._metrics.count(events, Outcome.RETRIED)
            if self._stop.wait(delay):
                raise _Stopped from None


def _timestamps_ms(batch: Sequence[Message]) -> list[int]:
    """When each record was appended (or created), where the record says."""
    found = []
    for message in batch:
        kind, at = message.timestamp()
        if kind != TIMESTAMP_NOT_AVAILABLE and at > 0:
            found.append(at)
    return found


def header(message: Message, name: str) -> str | None:
    """The value of the record's header ``name``, as text, if it has one."""
    found = message.headers() or ()
    pairs = found.items() if isinstance(found, dict) else found
    for key, value in pairs:
        if key == name and value:
            return value if isinstance(value, str) else value.decode(errors="replace")
    return None


def _event_type(message: Message) -> str:
    """The record's ``eventType`` header (the connector puts it there), or ``unknown``."""
    return header(message, "eventType") or "unknown"


def _key(message: Message) -> str:
    key = message.key()
    if isinstance(key, bytes):
        return key.decode(errors="replace")
    return key or "unknown"


def _where(message: Message) -> str:
    return f"{message.topic()}[{message.partition()}]@{message.offset()}"
