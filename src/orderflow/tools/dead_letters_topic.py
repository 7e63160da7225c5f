"""The dead-letter topic as `orderflow dead-letters` reaches it: read to its end, replay.

Reading takes each partition's log end first and stops there, so that an empty
topic, or one the services keep adding to, is read in bounded time rather than
waited on. Replaying produces as the services' own producers would not dare to
lose a record: acks from every in-sync replica, idempotence (a retry never
writes a record twice), and a flush that says whether the broker took each one.
"""

from __future__ import annotations

import functools
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from confluent_kafka import Consumer, KafkaError, KafkaException, Message, Producer, TopicPartition

from orderflow.access import KafkaAccess
from orderflow.tools.broker import Broker, client_config
from orderflow.tools.consume import POLL_S, record_of
from orderflow.tools.dead_letters_replay import Replay
from orderflow.tools.errors import ToolError
from orderflow.tools.record_view import Record


class Remaining:
    """The partitions still to read, each up to the log end it had when reading began."""

    def __init__(self, ends: dict[int, int]) -> None:
        self._ends = dict(ends)

    def __bool__(self) -> bool:
        return bool(self._ends)

    def take(self, partition: int, offset: int) -> bool:
        """Whether the record at ``offset`` is one to show; past the last, its partition is done."""
        end = self._ends.get(partition)
        if end is None or offset >= end:
            # Written after reading began: the next run shows it.
            self._ends.pop(partition, None)
            return False
        if offset + 1 >= end:
            del self._ends[partition]
        return True

    def reached_end(self, partition: int) -> None:
        """The consumer is at the partition's end: nothing before the end taken is left."""
        self._ends.pop(partition, None)


@dataclass
class Sent:
    """What the broker answered for each record of a replay, in the order sent."""

    offsets: dict[int, int] = field(default_factory=dict)
    """The index of each record the broker took, to the offset it got."""
    errors: dict[int, str] = field(default_factory=dict)
    """The index of each record it refused, to why."""


def replay_producer_config(kafka: KafkaAccess, timeout_s: float) -> dict[str, Any]:
    """Every in-sync replica has a record before it counts as sent; a retry never doubles it."""
    return {
        **client_config(kafka),
        "acks": "all",
        "enable.idempotence": True,
        # Past this, a record the broker has not taken is reported as not delivered.
        "message.timeout.ms": int(timeout_s * 1000),
    }


class KafkaLetters:
    """A dead-letter topic on one broker, each call bounded by the broker's ``timeout_s``."""

    def __init__(self, broker: Broker, topic: str) -> None:
        self.broker = broker
        self.topic = topic

    def read(self) -> list[Record]:
        """Every record on the topic now, from the oldest kept to the log end."""
        partitions = sorted(self.broker.topic(self.topic).partitions)
        consumer = self._consumer()
        try:
            return self._read(consumer, partitions)
        finally:
            consumer.close()

    def count(self) -> int:
        """How many records the topic keeps now (what ``read`` would return), from each
        partition's offsets alone: no record is fetched."""
        partitions = sorted(self.broker.topic(self.topic).partitions)
        consumer = self._consumer()
        try:
            spans = [self._span(consumer, partition) for partition in partitions]
        finally:
            consumer.close()
        return sum(high - low for low, high in spans)

    def _consumer(self) -> Consumer:
        return Consumer(
            {
                **client_config(self.broker.kafka),
                # Assigned, never subscribed, never committed: this id never shows up as a group.
                "group.id": f"orderflow-dead-letters-{uuid.uuid4()}",
                "enable.auto.commit": False,
                "enable.partition.eof": True,
            }
        )

    def _read(self, consumer: Consumer, partitions: list[int]) -> list[Record]:
        ends: dict[int, int] = {}
        starts: list[TopicPartition] = []
        for partition in partitions:
            low, high = self._span(consumer, partition)
            if high > low:
                ends[partition] = high
                starts.append(TopicPartition(self.topic, partition, low))
        remaining = Remaining(ends)
        if not remaining:
            return []
        consumer.assign(starts)
        records: list[Record] = []
        heard = time.monotonic()
        while remaining:
            message = consumer.poll(POLL_S)
            if message is None:
                if time.monotonic() - heard > self.broker.timeout_s:
                    raise ToolError(
                        f"reading {self.topic}: nothing came from the broker at "
                        f"{self.broker.bootstrap} for {self.broker.timeout_s:g} s"
                    )
                continue
            heard = time.monotonic()
            partition = int(message.partition() or 0)
            error = message.error()
            if error is not None:
                if error.code() == KafkaError._PARTITION_EOF:
                    remaining.reached_end(partition)
                elif error.fatal() or error.code() == KafkaError.UNKNOWN_TOPIC_OR_PART:
                    raise ToolError(f"reading {self.topic}: {error.str()}")
                continue  # transient: librdkafka retries
            if remaining.take(partition, int(message.offset() or 0)):
                records.append(record_of(message))
        return records

    def _span(self, consumer: Consumer, partition: int) -> tuple[int, int]:
        try:
            low, high = consumer.get_watermark_offsets(
                TopicPartition(self.topic, partition), timeout=self.broker.timeout_s
            )
        except KafkaException as error:
            raise ToolError(
                f"cannot read the offsets of {self.topic} partition {partition}: "
                f"{error.args[0].str()}"
            ) from None
        return low, high

    def partitions(self) -> dict[str, list[int]]:
        """Every topic's partitions: where a replay may send."""
        topics = self.broker.metadata().topics
        return {name: sorted(topic.partitions) for name, topic in topics.items()}

    def send(self, plan: Sequence[Replay]) -> Sent:
        """Send each record to its partition; what the broker answered for each."""
        sent = Sent()

        def report(index: int, error: KafkaError | None, message: Message) -> None:
            if error is not None:
                sent.errors[index] = error.str()
            else:
                sent.offsets[index] = int(message.offset() or 0)

        producer = Producer(replay_producer_config(self.broker.kafka, self.broker.timeout_s))
        for index, replay in enumerate(plan):
            headers: list[tuple[str, str | bytes | None]] = list(replay.headers)
            while True:
                try:
                    producer.produce(
                        replay.topic,
                        value=replay.value,
                        key=replay.key,
                        partition=replay.partition,
                        headers=headers,
                        on_delivery=functools.partial(report, index),
                    )
                    break
                except BufferError:
                    producer.poll(0.5)  # the local queue is full: let deliveries drain it
                except KafkaException as error:
                    sent.errors[index] = error.args[0].str()  # refused before it left
                    break
            producer.poll(0)
        # Delivery is asynchronous: only flush says whether the broker has them all.
        producer.flush(self.broker.timeout_s + 1)
        for index in range(len(plan)):
            if index not in sent.offsets and index not in sent.errors:
                sent.errors[index] = f"no answer from the broker within {self.broker.timeout_s:g} s"
        return sent
