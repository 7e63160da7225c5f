"""The consumer loop every service runs: batch, decode, process, dead-letter, commit."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Protocol

import psycopg
from confluent_kafka import KafkaError, Message

from orderflow.events.codec import RegistryUnavailable, UndecodableEvent
from orderflow.events.model import Event
from orderflow.messaging.decision import NotYetVisible
from orderflow.messaging.source import Source

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
    ) -> None:
        self._source = source
        self._codec = codec
        self._process = process
        self._dead_letters = dead_letters
        self._stop = stop

    def run(self) -> None:
        """Consume until ``stop`` is set; finish the batch in hand, commit, close."""
        try:
            while not self._stop.is_set():
                batch = self._source.next_batch()
                if batch:
                    self.handle(batch)
        except _Stopped:
            log.info("stopped with a failing batch; it will be redelivered")
        finally:
            self._source.close()

    def handle(self, batch: list[Message]) -> None:
        """Decode, process and dead-letter one batch, then mark it done."""
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
                log.warning("dead-lettering %s", _where(message))
                self._dead_letters.send(message, f"undecodable: {bad}")
                continue
            decoded.append(Decoded(event, message))
        self._apply(decoded)
        # Dead letters reach the broker before their offsets are committed.
        self._dead_letters.flush()
        self._source.done(batch)

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
        try:
            self._retrying(partial(self._process, [d.event for d in decoded]))
        except _Stopped:
            raise
        except Exception:
            # One event fails the whole batch; apply them one by one to find it,
            # dead-letter it, and let the others through.
            log.exception("batch failed; retrying its %d events one by one", len(decoded))
            for one in decoded:
                try:
                    self._retrying(partial(self._process, [one.event]))
                except _Stopped:
                    raise
                except Exception as error:
                    log.exception("dead-lettering %s", _where(one.message))
                    self._dead_letters.send(one.message, f"handler failed: {error!r}")

    def _retrying(self, attempt: Callable[[], None]) -> None:
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
            if self._stop.wait(delay):
                raise _Stopped from None


def _where(message: Message) -> str:
    return f"{message.topic()}[{message.partition()}]@{message.offset()}"
