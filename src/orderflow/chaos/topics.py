"""What the topics hold after a run: every published event by id, and the dead letters."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field

from confluent_kafka import Consumer, Message, TopicPartition

from orderflow.access import KafkaAccess
from orderflow.events.topics import ALL_TOPICS
from orderflow.messaging.deadletters import DEAD_LETTER_TOPIC


@dataclass(frozen=True)
class Published:
    event_id: str
    event_type: str
    order_id: str


@dataclass
class Topics:
    # One entry per distinct event id; ``copies`` counts the records beyond the
    # first (Debezium publishes again what it had not acknowledged when killed).
    events: dict[str, Published] = field(default_factory=dict)
    copies: int = 0
    dead_letters: int = 0


def read_topics(kafka: KafkaAccess, timeout_s: float = 60.0) -> Topics:
    found = Topics()
    for message in _read_all(kafka, ALL_TOPICS, timeout_s):
        headers = _headers(message)
        event_id = headers.get("id", "")
        if event_id in found.events:
            found.copies += 1
            continue
        key = message.key() or b""
        found.events[event_id] = Published(event_id, headers.get("eventType", ""), key.decode())
    found.dead_letters = _count(kafka, DEAD_LETTER_TOPIC, timeout_s)
    return found


def _consumer(kafka: KafkaAccess) -> Consumer:
    return Consumer(
        kafka.config(
            {
                "group.id": f"chaos-check-{uuid.uuid4()}",
                "enable.auto.commit": False,
                "auto.offset.reset": "earliest",
            }
        )
    )


def _partitions(
    consumer: Consumer, topics: Iterable[str], timeout_s: float
) -> list[TopicPartition]:
    metadata = consumer.list_topics(timeout=timeout_s)
    return [
        TopicPartition(topic, partition)
        for topic in topics
        if topic in metadata.topics
        for partition in metadata.topics[topic].partitions
    ]


def _count(kafka: KafkaAccess, topic: str, timeout_s: float) -> int:
    consumer = _consumer(kafka)
    try:
        total = 0
        for tp in _partitions(consumer, [topic], timeout_s):
            low, high = consumer.get_watermark_offsets(tp, timeout=timeout_s)
            total += high - low
        return total
    finally:
        consumer.close()


def _read_all(kafka: KafkaAccess, topics: Iterable[str], timeout_s: float) -> list[Message]:
    """Every record of ``topics`` up to the end each partition has now."""
    consumer = _consumer(kafka)
    try:
        ends: dict[tuple[str, int], int] = {}
        starts = []
        for tp in _partitions(consumer, topics, timeout_s):
            low, high = consumer.get_watermark_offsets(tp, timeout=timeout_s)
            if high > low:
                ends[(tp.topic, tp.partition)] = high
                starts.append(TopicPartition(tp.topic, tp.partition, low))
        consumer.assign(starts)
        records: list[Message] = []
        deadline = time.monotonic() + timeout_s
        while ends and time.monotonic() < deadline:
            for message in consumer.consume(1000, timeout=1.0):
                if message.error() is not None:
                    continue
                records.append(message)
            # Positions, not the last record's offset: a partition may end in a marker.
            for tp in consumer.position(starts):
                if tp.offset >= ends.get((tp.topic, tp.partition), 0):
                    ends.pop((tp.topic, tp.partition), None)
        if ends:
            raise TimeoutError(f"could not read {sorted(ends)} to the end in {timeout_s:.0f} s")
        return records
    finally:
        consumer.close()


def _headers(message: Message) -> dict[str, str]:
    found: dict[str, str] = {}
    for header in message.headers() or []:
        name, value = header[0], header[1]
        found[str(name)] = value.decode() if isinstance(value, bytes) else str(value or "")
    return found
