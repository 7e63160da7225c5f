"""Kafka's data survives `down` + `up`, and `down` leaves nothing of ours running."""

from __future__ import annotations

import uuid

import psutil
import pytest
from confluent_kafka import Consumer, Producer, TopicPartition

from orderflow.settings import Settings
from orderflow.stack.components import STACK
from orderflow.stack.launcher import Launcher
from orderflow.stack.processes import read_pid_file

pytestmark = pytest.mark.stack


def processes_mentioning(text: str) -> list[psutil.Process]:
    found = []
    for process in psutil.process_iter(["cmdline", "status"]):
        cmdline = " ".join(process.info["cmdline"] or [])
        if text in cmdline and process.info["status"] != psutil.STATUS_ZOMBIE:
            found.append(process)
    return found


def test_down_stops_everything_and_up_brings_back_topics_and_offsets(stack: Settings) -> None:
    topic = f"Survivor-{uuid.uuid4().hex[:8]}"
    group = f"survivor-{uuid.uuid4().hex[:8]}"
    producer = Producer({"bootstrap.servers": stack.kafka_bootstrap})
    for n in range(5):
        producer.produce(topic, key=b"k", value=f"m{n}".encode())
    assert producer.flush(30) == 0
    consumer = Consumer(
        {"bootstrap.servers": stack.kafka_bootstrap, "group.id": group,
         "auto.offset.reset": "earliest", "enable.auto.commit": False}
    )  # fmt: skip
    consumer.subscribe([topic])
    first = consumer.poll(60)
    assert first is not None
    assert first.error() is None
    first_offset = first.offset()
    assert first_offset is not None
    consumer.commit(message=first, asynchronous=False)
    consumer.close()

    launcher = Launcher(stack)
    pids = [read_pid_file(launcher.layout.pid_file(c.name)) for c in STACK]
    assert all(pids), "every component recorded a pid"
    assert sorted(launcher.down()) == sorted(c.name for c in STACK)

    for recorded in pids:
        assert recorded is not None
        assert not psutil.pid_exists(recorded.pid) or (
            psutil.Process(recorded.pid).status() == psutil.STATUS_ZOMBIE
        )
    assert processes_mentioning(str(stack.state_dir)) == []

    launcher.up()

    reader = Consumer(
        {"bootstrap.servers": stack.kafka_bootstrap, "group.id": group,
         "auto.offset.reset": "earliest", "enable.auto.commit": False}
    )  # fmt: skip
    [committed] = reader.committed([TopicPartition(topic, 0)], timeout=30)
    assert committed.offset == first_offset + 1
    reader.subscribe([topic])
    message = reader.poll(60)
    reader.close()
    assert message is not None
    assert message.value() == f"m{first_offset + 1}".encode()
