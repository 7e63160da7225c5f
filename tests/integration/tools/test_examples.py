"""The examples as a learner runs them in two terminals: the consumer prints what was sent."""

from __future__ import annotations

import re

import pytest
from confluent_kafka.schema_registry import SchemaRegistryClient

from orderflow.settings import Settings

from .running import PYTHON, Background, ok, run, unique

pytestmark = pytest.mark.stack

DELIVERED = re.compile(r"^delivered (\S+): (.+) to (\S+) partition (\d+) offset (\d+)$")
WIRE = re.compile(r"^wire format: magic byte (\d+), schema id (\d+), then Avro$")


def test_consumer_prints_what_the_producer_delivered(stack: Settings, topic: str) -> None:
    produced = ok(run(stack, PYTHON, "examples/producer.py", "--topic", topic, "--count", "7"))
    delivered = [DELIVERED.match(line) for line in produced.splitlines()]
    assert all(delivered), produced
    sent = [(m.group(1), m.group(2)) for m in delivered if m]
    assert sorted(sent) == sorted((f"user-{n % 3}", f"message {n}") for n in range(7))

    consumer = Background(
        stack, PYTHON, "examples/consumer.py", "--topic", topic, "--group", unique("group")
    )
    try:
        banner, *lines = consumer.wait_for_lines(1 + 7)
        assert banner.startswith(f"reading {topic} as group")
        received = [tuple(line.split(": ", 1)) for line in lines]
        assert sorted(received) == sorted(sent)
        # One key's messages stay in the order they were sent.
        for key in {k for k, _ in sent}:
            assert [v for k, v in received if k == key] == [v for k, v in sent if k == key]
        assert consumer.interrupt() == 0
        assert consumer.wait_for_lines(1 + 7 + 1)[-1] == "closed"
    finally:
        consumer.stop()


def test_consumer_group_resumes_after_its_committed_offset(stack: Settings, topic: str) -> None:
    group = unique("group")
    ok(run(stack, PYTHON, "examples/producer.py", "--topic", topic, "--count", "3"))
    first = Background(stack, PYTHON, "examples/consumer.py", "--topic", topic, "--group", group)
    try:
        first.wait_for_lines(1 + 3)
        assert first.interrupt() == 0
    finally:
        first.stop()

    ok(run(stack, PYTHON, "examples/producer.py", "--topic", topic, "--count", "2"))
    second = Background(stack, PYTHON, "examples/consumer.py", "--topic", topic, "--group", group)
    try:
        _, *lines = second.wait_for_lines(1 + 2)
        # Only the two new ones: the first run committed what it printed.
        assert sorted(line.split(": ", 1)[1] for line in lines) == ["message 0", "message 1"]
        assert second.interrupt() == 0
    finally:
        second.stop()


def test_avro_round_trip_shows_the_wire_format(stack: Settings, topic: str) -> None:
    produced = ok(run(stack, PYTHON, "examples/avro_producer.py", "--topic", topic, "--count", "3"))
    header, *sent = produced.splitlines()
    with SchemaRegistryClient({"url": stack.registry_url}) as registry:
        registered = registry.get_latest_version(f"{topic}-value")
    assert WIRE.match(header), header
    assert header == f"wire format: magic byte 0, schema id {registered.schema_id}, then Avro"
    assert len(sent) == 3
    assert all(line.startswith("sent {'order_id': ") for line in sent)

    consumer = Background(
        stack, PYTHON, "examples/avro_consumer.py", "--topic", topic, "--group", unique("group")
    )
    try:
        shown_header, *received = consumer.wait_for_lines(1 + 3)
        assert shown_header == header
        # The decoded records are the dicts the producer sent (same repr, any order).
        assert sorted(line.removeprefix("received ") for line in received) == sorted(
            line.removeprefix("sent ") for line in sent
        )
        assert consumer.interrupt() == 0
    finally:
        consumer.stop()
