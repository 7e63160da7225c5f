"""`orderflow consume` as kcat reads: records as JSON, from a partition and offset, on -b's broker.

Records are produced with confluent-kafka here, so that each one's partition,
offset, timestamp and headers are known exactly, and read with `orderflow`.
"""

from __future__ import annotations

import json
import struct
import time
from typing import Any

import pytest
from confluent_kafka import KafkaError, Message, Producer
from confluent_kafka.schema_registry import SchemaRegistryClient

from orderflow.messaging.deadletters import DeadLetters
from orderflow.settings import Settings
from orderflow.stack.ports import free_ports

from .conftest import create_topic
from .running import ROOT, ok, orderflow, orderflow_on_a_terminal, unique

pytestmark = pytest.mark.stack

SCHEMA = str(ROOT / "examples" / "order_placed.avsc")


class Delivered:
    """A producer that remembers where each of its messages landed.

    Delivery reports come in order within a partition, not across partitions:
    a test finds a message by its key or value, never by its place in the list.
    """

    def __init__(self, settings: Settings) -> None:
        self.messages: list[Message] = []
        self.errors: list[KafkaError] = []
        self.producer = Producer(
            {"bootstrap.servers": settings.kafka_bootstrap, "on_delivery": self._report}
        )

    def _report(self, error: KafkaError | None, message: Message) -> None:
        if error is not None:
            self.errors.append(error)
        self.messages.append(message)

    def send(self, topic: str, value: bytes, partition: int, **fields: Any) -> None:
        self.producer.produce(topic, value=value, partition=partition, **fields)

    def flush(self) -> list[Message]:
        assert self.producer.flush(30) == 0
        assert self.errors == []
        return self.messages

    def by_key(self, key: bytes) -> Message:
        (found,) = (message for message in self.messages if message.key() == key)
        return found


def json_records(done: Any) -> list[dict[str, Any]]:
    return [json.loads(line) for line in ok(done).splitlines()]


def test_json_shows_where_each_record_sits_its_timestamp_key_and_headers(
    stack: Settings, topic: str
) -> None:
    # The producer's timestamps, to check the JSON's exactly; recent, as an old one
    # would let the broker roll the segment and retention delete it.
    at_ms = time.time_ns() // 1_000_000 - 1000
    sent = Delivered(stack)
    for n, partition in enumerate([0, 1, 1, 2]):
        sent.send(
            topic, f"value {n}".encode(), partition, key=f"k{n}".encode(),
            headers=[("trace", f"t{n}".encode()), ("seen", b"1"), ("seen", b"2")],
            timestamp=at_ms + n,
        )  # fmt: skip
    place = {message.key(): (message.partition(), message.offset()) for message in sent.flush()}

    shown = json_records(orderflow(stack, "consume", topic, "--format", "json", "--max", "4"))

    expected = [
        {
            "topic": topic,
            "partition": place[f"k{n}".encode()][0],
            "offset": place[f"k{n}".encode()][1],
            "timestamp": at_ms + n,
            "timestamp_type": "CreateTime",
            "key": f"k{n}",
            "key_encoding": "text",
            "headers": {"trace": f"t{n}", "seen": ["1", "2"]},
            "value": f"value {n}",
            "value_encoding": "text",
        }
        for n in range(4)
    ]

    def by_place(record: dict[str, Any]) -> tuple[int, int]:
        return record["partition"], record["offset"]

    assert sorted(shown, key=by_place) == sorted(expected, key=by_place)
    # Partition 1 got two, read at offsets 0 and 1 in the order they were sent.
    assert [(r["offset"], r["value"]) for r in shown if r["partition"] == 1] == [
        (0, "value 1"),
        (1, "value 2"),
    ]


def test_a_dead_letter_and_its_reason_read_where_it_sits(stack: Settings, topic: str) -> None:
    dead_letter_topic = create_topic(stack, unique("dead-letters"), partitions=3)
    # A value in the Confluent wire format, schema id 7: raw, it is binary.
    framed = b"\x00" + struct.pack(">I", 7) + b"\x06o-1"
    source = Delivered(stack)
    for partition in range(3):
        source.send(topic, framed, partition, key=f"o-{partition}".encode())
    letters = Delivered(stack)
    # The services' own dead-lettering: the reason and the source in headers.
    dead_letters = DeadLetters(letters.producer, "test-group", topic=dead_letter_topic)
    for message in source.flush():
        dead_letters.send(message, f"poison at {message.partition()}: no handler")
    dead_letters.flush()
    letters.flush()
    # The dead letter of the source's partition 1, wherever it landed.
    target = letters.by_key(b"o-1")
    source_of_target = source.by_key(b"o-1")

    done = orderflow(
        stack, "consume", dead_letter_topic, "--format", "json",
        "--partition", str(target.partition()), "--offset", str(target.offset()), "--max", "1",
    )  # fmt: skip

    (record,) = json_records(done)
    assert (record["partition"], record["offset"]) == (target.partition(), target.offset())
    assert record["headers"] == {
        "dlq.reason": f"poison at {source_of_target.partition()}: no handler",
        "dlq.source.topic": topic,
        "dlq.source.partition": str(source_of_target.partition()),
        "dlq.source.offset": str(source_of_target.offset()),
        "dlq.consumer.group": "test-group",
    }
    assert (record["value"], record["value_encoding"]) == (framed.hex(), "hex")
    assert done.stderr.splitlines() == [
        "hint: values start with magic byte 0 and a schema id (7), "
        "the Confluent wire format; add --avro to decode them",
        "consumed 1 message",
    ]
    text = orderflow(
        stack, "consume", dead_letter_topic, "--print-headers", "-p", str(target.partition()),
        "-o", str(target.offset()), "--max", "1",
    )  # fmt: skip
    assert ok(text).startswith(
        f"dlq.reason:poison at {source_of_target.partition()}: no handler,dlq.source.topic:{topic},"
    )
    assert ok(text).endswith("\t\\x00\\x00\\x00\\x00\\x07\\x06o-1\n")


def test_partition_and_offset_choose_where_reading_starts(stack: Settings, topic: str) -> None:
    sent = Delivered(stack)
    for n in range(5):
        sent.send(topic, f"p1-{n}".encode(), 1)
    for n in range(2):
        sent.send(topic, f"p0-{n}".encode(), 0)
    sent.flush()

    def values(*args: str) -> list[str]:
        return ok(orderflow(stack, "consume", topic, *args)).splitlines()

    assert values("--partition", "1", "--offset", "2", "--max", "3") == ["p1-2", "p1-3", "p1-4"]
    assert values("-p", "1", "-o", "-2", "--max", "2") == ["p1-3", "p1-4"]
    assert values("-p", "0", "-o", "beginning", "--max", "2") == ["p0-0", "p0-1"]
    # -N without a partition: the last N of each partition (partition 2 has none).
    assert sorted(values("--offset=-1", "--max", "2")) == ["p0-1", "p1-4"]

    past = orderflow(stack, "consume", topic, "-p", "1", "-o", "9")
    assert past.returncode == 1
    assert past.stderr.splitlines() == [
        f"error: offset 9 is not in {topic} partition 1: it keeps offsets 0..4, the next one gets 5"
    ]
    missing = orderflow(stack, "consume", topic, "-p", "7")
    assert missing.returncode == 1
    assert missing.stderr.splitlines() == [
        f"error: topic {topic!r} has partitions 0..2, no partition 7"
    ]


def test_avro_values_as_json_and_raw_with_a_hint_once(stack: Settings, topic: str) -> None:
    orders = [
        {"order_id": f"o-{n}", "user_id": "Привет 你好", "items": ["item1"], "placed_at_ms": n}
        for n in range(2)
    ]
    lines = "".join(json.dumps(order) + "\n" for order in orders)
    ok(orderflow(stack, "produce", topic, "--schema", SCHEMA, "--key", "k", stdin=lines))

    decoded = json_records(
        orderflow(stack, "consume", topic, "--format", "json", "--avro", "--max", "2")
    )
    assert [record["value"] for record in decoded] == orders
    assert {record["value_encoding"] for record in decoded} == {"avro"}

    raw = orderflow(stack, "consume", topic, "--max", "2")
    shown = ok(raw).splitlines()
    # The framing and the body escaped byte by byte: no stray letters from the strings in it.
    assert all(line.isascii() and line.startswith("\\x00\\x00\\x00") for line in shown), shown
    with SchemaRegistryClient({"url": stack.registry_url}) as registry:
        schema_id = registry.get_latest_version(f"{topic}-value").schema_id
    assert raw.stderr.splitlines() == [
        f"hint: values start with magic byte 0 and a schema id ({schema_id}), "
        "the Confluent wire format; add --avro to decode them",
        "consumed 2 messages",
    ]


def test_every_command_reaches_the_broker_given_with_b(stack: Settings, topic: str) -> None:
    # The settings point at a port nobody listens on: only -b's broker can answer.
    (nobody,) = free_ports(1)
    elsewhere = {"ORDERFLOW_KAFKA_PORT": str(nobody)}
    broker = stack.kafka_bootstrap
    group = unique("group")

    assert topic in ok(orderflow(stack, "topics", "list", "-b", broker, **elsewhere)).split()
    described = ok(
        orderflow(stack, "topics", "describe", topic, "--bootstrap", broker, **elsewhere)
    )
    assert described.startswith(f"Topic: {topic}  Partitions: 3")
    ok(orderflow(stack, "produce", topic, "--bootstrap-server", broker, "--key", "k",
                 "--value", "1", "--value", "2", **elsewhere))  # fmt: skip
    consumed = orderflow(
        stack, "consume", topic, "-b", broker, "--group", group, "--max", "2", **elsewhere
    )
    assert ok(consumed) == "1\n2\n"
    lag = json.loads(ok(orderflow(stack, "lag", "--group", group, "--json", "-b", broker,
                                  **elsewhere)))  # fmt: skip
    (shown,) = lag["groups"]
    assert (shown["group"], shown["lag"]) == (group, 0)
    assert sum(p["committed"] or 0 for p in shown["partitions"]) == 2

    other = unique("tools-b")
    created = orderflow(stack, "topics", "create", other, "-b", broker, **elsewhere)
    assert ok(created) == f"Created topic {other}.\n"
    deleted = orderflow(stack, "topics", "delete", other, "--yes", "-b", broker, **elsewhere)
    assert ok(deleted) == f"Deleted topic {other}.\n"
    # And without -b the same command asks the settings' broker, which is not there.
    unreachable = orderflow(stack, "topics", "list", "--timeout", "1", **elsewhere)
    assert unreachable.returncode == 1
    assert f"no Kafka broker answered at {stack.host}:{nobody}" in unreachable.stderr


def test_delete_asks_on_a_terminal(stack: Settings) -> None:
    name = create_topic(stack, unique("delete-me"), partitions=2)
    question = f"Delete topic {name} (2 partitions) and every message in it? [y/N]: "

    kept = orderflow_on_a_terminal(stack, "topics", "delete", name, typed="n\n")
    assert kept.returncode == 1
    assert kept.stdout == question
    assert kept.stderr.splitlines() == ["error: aborted"]
    assert name in ok(orderflow(stack, "topics", "list")).splitlines()

    deleted = orderflow_on_a_terminal(stack, "topics", "delete", name, typed="y\n")
    assert deleted.returncode == 0, deleted.stderr
    assert deleted.stdout == f"{question}Deleted topic {name}.\n"
    assert name not in ok(orderflow(stack, "topics", "list")).splitlines()


def test_avro_skips_a_message_it_cannot_decode_with_a_line_and_reads_on(
    stack: Settings,
) -> None:
    topic = create_topic(stack, unique("tools-avro-skip"))  # one partition: a known order
    # A poison record first, as the system's topics may hold (the tests' and a bad
    # producer's): framed, with a schema id the registry does not have.
    poison = Delivered(stack)
    poison.send(topic, b"\x00" + struct.pack(">I", 987654) + b"\x06o-1", 0, key=b"poison")
    poison.flush()
    orders = [
        {"order_id": f"o-{n}", "user_id": "123", "items": ["item1"], "placed_at_ms": n}
        for n in range(2)
    ]
    lines = "".join(json.dumps(order) + "\n" for order in orders)
    ok(orderflow(stack, "produce", topic, "--schema", SCHEMA, "--key", "k", stdin=lines))

    done = orderflow(stack, "consume", topic, "--format", "json", "--avro", "--max", "2")

    assert [record["value"] for record in json_records(done)] == orders
    skipped = [line for line in done.stderr.splitlines() if line.startswith("skipped: ")]
    assert skipped == [
        f"skipped: the message at {topic} partition 0 offset 0: schema registry at "
        f"{stack.registry_url}: Schema 987654 not found"
    ]
