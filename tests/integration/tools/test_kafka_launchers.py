"""bin/kafka-topics, -console-producer and -console-consumer: Kafka's own tools on our jars."""

from __future__ import annotations

import pytest

from orderflow.access import kafka_access
from orderflow.events.topics import ALL_TOPICS
from orderflow.messaging.topics import ensure_topics
from orderflow.settings import Settings

from .running import ROOT, ok, run, unique

pytestmark = pytest.mark.stack

BIN = ROOT / "bin"


def test_kafka_topics_lists_the_topics_the_system_uses(stack: Settings) -> None:
    # What the services create at start-up (a no-op if they already did).
    ensure_topics(kafka_access(stack), ALL_TOPICS, stack.topic_partitions)
    listed = ok(run(stack, str(BIN / "kafka-topics"), "--list")).splitlines()
    assert set(ALL_TOPICS) <= set(listed)
    assert stack.registry_topic in listed


def test_the_originals_appendix_in_its_modern_form(stack: Settings) -> None:
    """Create, produce by hand, consume by hand: with --bootstrap-server, as README shows."""
    topic = unique("launchers")
    bootstrap = stack.kafka_bootstrap
    create = f"--bootstrap-server {bootstrap} --create --topic {topic} --partitions 1"
    created = run(stack, str(BIN / "kafka-topics"), *create.split(), "--replication-factor", "1")
    assert f"Created topic {topic}." in ok(created)
    assert topic in ok(run(stack, str(BIN / "kafka-topics"), "--list")).splitlines()

    # Without --bootstrap-server: the launcher points them at the stack's broker.
    ok(
        run(
            stack,
            str(BIN / "kafka-console-producer"),
            "--topic",
            topic,
            stdin="first message\nsecond message\n",
        )
    )
    consumed = run(
        stack,
        str(BIN / "kafka-console-consumer"),
        "--topic",
        topic,
        "--from-beginning",
        "--max-messages",
        "2",
        "--timeout-ms",
        "30000",
    )
    assert ok(consumed).splitlines() == ["first message", "second message"]

    described = ok(run(stack, str(BIN / "kafka-topics"), "--describe", "--topic", topic))
    assert f"Topic: {topic}" in described
    assert "PartitionCount: 1" in described
