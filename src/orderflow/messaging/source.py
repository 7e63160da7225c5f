"""Where a consumer loop gets its messages: a Kafka consumer, seen as batches.

Offsets are stored by hand only for messages whose effects are committed
(``done``); the client commits the stored offsets once a second, on a
rebalance and at close. A crash redelivers at most that second, and the inbox
makes that harmless. (A commit per batch cost Kafka a request per batch.)
"""

from __future__ import annotations

import logging
import os
from collections.abc import Sequence
from typing import Protocol

from confluent_kafka import Consumer, KafkaError, KafkaException, Message, TopicPartition

log = logging.getLogger(__name__)


class Source(Protocol):
    def next_batch(self) -> list[Message]:
        """The next messages, possibly none; waits a little for the first."""
        ...

    def done(self, messages: Sequence[Message]) -> None:
        """``messages`` are handled for good: their offsets may be committed."""
        ...

    def close(self) -> None: ...


def member_client_id(group: str, pid: int) -> str:
    """The client id a service's consumer joins its group with: the group and the pid,
    so that a health check tells this process's membership from a dead one's."""
    return f"{group}-{pid}"


def consumer_config(group: str) -> dict[str, object]:
    """A service's consumer settings, beside its KafkaAccess (brokers and credentials)."""
    return {
        "group.id": group,
        "client.id": member_client_id(group, os.getpid()),
        "enable.auto.commit": True,
        "auto.commit.interval.ms": 1000,
        "enable.auto.offset.store": False,
        "auto.offset.reset": "earliest",
        "partition.assignment.strategy": "cooperative-sticky",
        # A killed consumer's partitions move to its replacement within seconds.
        "session.timeout.ms": 6000,
        "heartbeat.interval.ms": 1500,
        "fetch.wait.max.ms": 50,
    }


class KafkaSource:
    def __init__(
        self, consumer: Consumer, batch_size: int = 500, poll_timeout_s: float = 0.2
    ) -> None:
        self._consumer = consumer
        self._batch_size = batch_size
        self._poll_timeout_s = poll_timeout_s

    def next_batch(self) -> list[Message]:
        # poll() waits for the first message; consume(timeout=0) then takes what
        # is already fetched, so a batch never waits for more to arrive.
        first = self._consumer.poll(self._poll_timeout_s)
        if first is None:
            return []
        return [first, *self._consumer.consume(self._batch_size - 1, timeout=0)]

    def done(self, messages: Sequence[Message]) -> None:
        next_offsets: dict[tuple[str, int], int] = {}
        for m in messages:
            topic, partition, offset = m.topic(), m.partition(), m.offset()
            if m.error() is not None or topic is None or partition is None or offset is None:
                continue
            key = (topic, partition)
            next_offsets[key] = max(next_offsets.get(key, 0), offset + 1)
        if not next_offsets:
            return
        self._consumer.store_offsets(
            offsets=[TopicPartition(t, p, o) for (t, p), o in next_offsets.items()]
        )

    def close(self) -> None:
        try:
            self._consumer.commit(asynchronous=False)
        except KafkaException as error:
            if error.args[0].code() != KafkaError._NO_OFFSET:
                log.warning("final offset commit failed: %s", error)
        finally:
            self._consumer.close()
