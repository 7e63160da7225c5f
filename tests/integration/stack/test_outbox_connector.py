"""An outbox row written in Postgres arrives on Kafka as the connector promises."""

from __future__ import annotations

import os
import uuid

import psycopg
import pytest
from confluent_kafka import Consumer, Message

# Public names, but confluent_kafka.admin has no __all__ for strict mypy to see them in.
from confluent_kafka.admin import AdminClient, NewTopic  # type: ignore[attr-defined]

from orderflow.services import SERVICES
from orderflow.settings import Settings
from orderflow.stack.connector import outbox_connector, state
from orderflow.stack.waiting import wait_until

pytestmark = pytest.mark.stack

OUTBOX_SCHEMAS = [service.schema for service in SERVICES]


def create_topic(settings: Settings, topic: str) -> None:
    admin = AdminClient({"bootstrap.servers": settings.kafka_bootstrap})
    for future in admin.create_topics([NewTopic(topic, num_partitions=3)]).values():
        future.result(timeout=30)


def consume(settings: Settings, topic: str, count: int, timeout_s: float = 60) -> list[Message]:
    consumer = Consumer(
        {
            "bootstrap.servers": settings.kafka_bootstrap,
            "group.id": f"test-{uuid.uuid4()}",
            "auto.offset.reset": "earliest",
        }
    )
    consumer.subscribe([topic])
    received: list[Message] = []
    try:
        for message in iter(lambda: consumer.poll(timeout_s), None):
            assert message.error() is None, message.error()
            received.append(message)
            if len(received) == count:
                break
    finally:
        consumer.close()
    return received


def header(message: Message, name: str) -> str:
    value = dict(message.headers() or [])[name]
    assert isinstance(value, bytes)
    return value.decode()


def write_outbox_event(
    settings: Settings, schema: str, topic: str, key: str, payload: bytes
) -> uuid.UUID:
    event_id = uuid.uuid4()
    with psycopg.connect(settings.postgres_dsn) as conn, conn.transaction():
        conn.execute(
            f"INSERT INTO {schema}.outbox (id, aggregate_type, aggregate_id, event_type, payload)"
            " VALUES (%s, %s, %s, %s, %s)",
            (event_id, topic, key, "ProbeHappened", payload),
        )
        conn.execute(f"DELETE FROM {schema}.outbox WHERE id = %s", (event_id,))
    return event_id


@pytest.mark.parametrize("schema", OUTBOX_SCHEMAS)
def test_outbox_row_arrives_on_its_topic_with_key_and_identical_bytes(
    stack: Settings, schema: str
) -> None:
    topic = f"Probe-{schema}-{uuid.uuid4().hex[:8]}"
    create_topic(stack, topic)
    key = str(uuid.uuid4())
    # Every byte value, including those that break text encodings.
    payload = bytes(range(256)) + os.urandom(64)

    event_id = write_outbox_event(stack, schema, topic, key, payload)

    [message] = consume(stack, topic, count=1)
    assert message.key() == key.encode()
    assert message.value() == payload
    assert header(message, "id") == str(event_id)
    assert header(message, "eventType") == "ProbeHappened"


def test_events_of_one_key_keep_their_order(stack: Settings) -> None:
    topic = f"Probe-order-{uuid.uuid4().hex[:8]}"
    create_topic(stack, topic)
    key = str(uuid.uuid4())
    payloads = [f"step-{n}".encode() for n in range(20)]

    for payload in payloads:
        write_outbox_event(stack, "orders", topic, key, payload)

    received = consume(stack, topic, count=len(payloads))
    assert [message.value() for message in received] == payloads
    assert {message.partition() for message in received} == {received[0].partition()}


def test_outbox_tables_stay_empty(stack: Settings) -> None:
    topic = f"Probe-empty-{uuid.uuid4().hex[:8]}"
    write_outbox_event(stack, "payment", topic, "k", b"x")
    with psycopg.connect(stack.postgres_dsn) as conn:
        for schema in OUTBOX_SCHEMAS:
            row = conn.execute(f"SELECT count(*) FROM {schema}.outbox").fetchone()
            assert row == (0,)


def test_connector_survives_its_heartbeats(stack: Settings) -> None:
    """Heartbeats are not outbox rows; the converter must pass them without failing the task."""
    _, config = outbox_connector(stack)
    heartbeat_topic = f"{config['topic.heartbeat.prefix']}.{config['topic.prefix']}"
    interval_s = int(config["heartbeat.interval.ms"]) / 1000

    admin = AdminClient({"bootstrap.servers": stack.kafka_bootstrap})
    assert wait_until(
        lambda: heartbeat_topic in admin.list_topics(timeout=5).topics, timeout_s=interval_s * 6
    ), "no heartbeat was emitted"
    assert consume(stack, heartbeat_topic, count=1, timeout_s=interval_s * 3)
    assert wait_until(lambda: connector_running(stack), timeout_s=10)
    topic = f"Probe-after-heartbeat-{uuid.uuid4().hex[:8]}"
    create_topic(stack, topic)
    write_outbox_event(stack, "orders", topic, "k", b"still flowing")
    [message] = consume(stack, topic, count=1)
    assert message.value() == b"still flowing"


def connector_running(settings: Settings) -> bool:
    name, _ = outbox_connector(settings)
    found = state(settings, name)
    return found is not None and found.running
