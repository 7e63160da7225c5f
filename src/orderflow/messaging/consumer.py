"""The consumer loop every service runs: batch, decode, process, dead-letter, commit.

Offsets are stored only after a batch is processed (and its dead letters are
on the broker), then committed; a crash in between redelivers the batch, and
the inbox makes that harmless.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial

import psycopg
from confluent_kafka import Consumer, KafkaError, KafkaException, Message, TopicPartition

from orderflow.events.codec import EventCodec, UndecodableEvent
from orderflow.events.model import Event
from orderflow.messaging.deadletters import DeadLetters

log = logging.getLogger(__name__)

_IGNORED_ERRORS = {KafkaError._PARTITION_EOF, KafkaError.UNKNOWN_TOPIC_OR_PART}
_RETRY_DELAYS_S = (0.1, 0.25, 0.5, 1.0, 2.0, 5.0)


def consumer_config(bootstrap: str, group: str) -> dict[str, object]:
    return {
        "bootstrap.servers": bootstrap,
        "group.id": group,
        "enable.auto.commit": False,
        # Stored by hand once a message's effects are committed (see ConsumerLoop).
        "enable.auto.offset.store": False,
        "auto.offset.reset": "earliest",
        "partition.assignment.strategy": "cooperative-sticky",
        # A killed consumer's partitions move to its replacement within seconds.
        "session.timeout.ms": 6000,
        "heartbeat.interval.ms": 1500,
        "fetch.wait.max.ms": 50,
    }


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
        consumer: Consumer,
        codec: EventCodec,
        process: Callable[[Sequence[Event]], None],
        dead_letters: DeadLetters,
        stop: threading.Event,
        batch_size: int = 500,
        poll_timeout_s: float = 0.2,
    ) -> None:
        self._consumer = consumer
        self._codec = codec
        self._process = process
        self._dead_letters = dead_letters
        self._stop = stop
        self._batch_size = batch_size
        self._poll_timeout_s = poll_timeout_s

    def run(self) -> None:
        """Consume until ``stop`` is set; finish the batch in hand, commit, close."""
        try:
            while not self._stop.is_set():
                batch = self._next_batch()
                if batch:
                    self._handle(batch)
        except _Stopped:
            log.info("stopped with a failing batch; it will be redelivered")
        finally:
            self._commit(asynchronous=False)
            self._consumer.close()

    def _next_batch(self) -> list[Message]:
        # poll() waits for the first message; consume(timeout=0) then takes what
        # is already fetched, so a batch never waits for more to arrive.
        first = self._consumer.poll(self._poll_timeout_s)
        if first is None:
            return []
        return [first, *self._consumer.consume(self._batch_size - 1, timeout=0)]

    def _handle(self, batch: list[Message]) -> None:
        decoded: list[Decoded] = []
        for message in batch:
            error = message.error()
            if error is not None:
                if error.code() not in _IGNORED_ERRORS:
                    log.warning("consumer error: %s", error)
                continue
            try:
                event = self._codec.decode(str(message.topic()), message.value())
            except UndecodableEvent as bad:
                log.warning("dead-lettering %s", _where(message))
                self._dead_letters.send(message, f"undecodable: {bad}")
                continue
            decoded.append(Decoded(event, message))
        self._apply(decoded)
        self._dead_letters.flush()
        self._store([m for m in batch if m.error() is None])
        self._commit(asynchronous=True)

    def _apply(self, decoded: list[Decoded]) -> None:
        try:
            self._retrying(lambda: self._process([d.event for d in decoded]))
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
        """Run ``attempt``; retry while Postgres is unreachable, not on other errors."""
        failures = 0
        while True:
            try:
                attempt()
                return
            except psycopg.OperationalError:
                log.warning("database unavailable; retrying", exc_info=True)
                delay = _RETRY_DELAYS_S[min(failures, len(_RETRY_DELAYS_S) - 1)]
                failures += 1
                if self._stop.wait(delay):
                    raise _Stopped from None

    def _store(self, messages: Sequence[Message]) -> None:
        next_offsets: dict[tuple[str, int], int] = {}
        for m in messages:
            topic, partition, offset = m.topic(), m.partition(), m.offset()
            if topic is None or partition is None or offset is None:
                continue
            next_offsets[topic, partition] = max(
                next_offsets.get((topic, partition), 0), offset + 1
            )
        if next_offsets:
            self._consumer.store_offsets(
                offsets=[TopicPartition(t, p, o) for (t, p), o in next_offsets.items()]
            )

    def _commit(self, *, asynchronous: bool) -> None:
        try:
            if asynchronous:
                self._consumer.commit(asynchronous=True)
            else:
                self._consumer.commit(asynchronous=False)
        except KafkaException as error:
            if error.args[0].code() != KafkaError._NO_OFFSET:
                log.warning("offset commit failed: %s", error)


def _where(message: Message) -> str:
    return f"{message.topic()}[{message.partition()}]@{message.offset()}"
