"""Reading and writing the system's topics directly, as a fault injector would."""

from __future__ import annotations

import uuid

from confluent_kafka import Consumer, Message, Producer, TopicPartition

from orderflow.messaging.deadletters import DEAD_LETTER_TOPIC
from orderflow.settings import Settings

from .system import wait_for

# Who consumes what (the consumer groups of the four services).
GROUPS = {
    "OrderEventsTopic": ("inventory-service", "order-status-service"),
    "InventoryEventsTopic": ("shipping-service", "order-status-service"),
    "ShippingEventsTopic": ("payment-service", "order-status-service"),
    "PaymentEventsTopic": ("inventory-service", "shipping-service", "order-status-service"),
}


Headers = list[tuple[str, str | bytes | None]]


def headers_of(message: Message) -> Headers:
    found = message.headers() or []
    return list(found.items()) if isinstance(found, dict) else list(found)


def header_text(message: Message) -> dict[str, str]:
    def text(value: str | bytes | None) -> str:
        return value.decode(errors="replace") if isinstance(value, bytes) else value or ""

    return {name: text(value) for name, value in headers_of(message)}


def read_all(settings: Settings, topic: str) -> list[Message]:
    """Every record now on ``topic``, without joining any consumer group."""
    consumer = Consumer(
        {
            "bootstrap.servers": settings.kafka_bootstrap,
            "group.id": f"e2e-reader-{uuid.uuid4()}",
            "enable.auto.commit": False,
        }
    )
    try:
        partitions = consumer.list_topics(topic, timeout=10).topics[topic].partitions
        ends: dict[int, int] = {}
        starts = []
        for p in partitions:
            low, high = consumer.get_watermark_offsets(TopicPartition(topic, p), timeout=10)
            if high > low:
                ends[p] = high
                starts.append(TopicPartition(topic, p, low))
        consumer.assign(starts)
        records: list[Message] = []
        while ends:
            message = wait_for(f"records on {topic}", lambda: consumer.poll(0.5), 30)
            error = message.error()
            assert error is None, error
            records.append(message)
            partition, offset = message.partition(), message.offset()
            assert partition is not None
            assert offset is not None
            if offset + 1 >= ends.get(partition, 0):
                ends.pop(partition, None)
        return records
    finally:
        consumer.close()


def produce(
    settings: Settings,
    topic: str,
    key: bytes | None,
    value: bytes | None,
    headers: Headers | None = None,
) -> tuple[int, int]:
    """Write one record; its partition and offset once the broker has it."""
    delivered: list[Message] = []
    producer = Producer({"bootstrap.servers": settings.kafka_bootstrap})
    producer.produce(
        topic,
        key=key,
        value=value,
        headers=headers or [],
        on_delivery=lambda err, msg: delivered.append(msg),
    )
    assert producer.flush(30) == 0
    (message,) = delivered
    assert message.error() is None, message.error()
    partition, offset = message.partition(), message.offset()
    assert partition is not None
    assert offset is not None
    return partition, offset


def wait_committed(settings: Settings, group: str, topic: str, partition: int, offset: int) -> None:
    """Wait until ``group`` has committed past ``offset``: it has handled that record."""
    consumer = Consumer({"bootstrap.servers": settings.kafka_bootstrap, "group.id": group})
    try:

        def committed() -> bool | None:
            (found,) = consumer.committed([TopicPartition(topic, partition)], timeout=10)
            return True if found.offset > offset else None

        wait_for(f"{group} to commit {topic}[{partition}]@{offset}", committed, 60, 0.2)
    finally:
        consumer.close()


def dead_lettered(settings: Settings, topic: str, value: bytes | None) -> dict[str, dict[str, str]]:
    """Write a bad record to ``topic``; the dead-letter headers each consuming group gave it."""
    key = f"poison-{uuid.uuid4()}".encode()
    partition, offset = produce(settings, topic, key, value)
    where = {
        "dlq.source.topic": topic,
        "dlq.source.partition": str(partition),
        "dlq.source.offset": str(offset),
    }

    def letters() -> dict[str, dict[str, str]] | None:
        found = {
            h["dlq.consumer.group"]: h
            for m in read_all(settings, DEAD_LETTER_TOPIC)
            if m.key() == key and where.items() <= (h := header_text(m)).items()
        }
        return found if set(found) == set(GROUPS[topic]) else None

    return wait_for(f"the bad record on {topic} to be dead-lettered", letters, 60, 0.5)
