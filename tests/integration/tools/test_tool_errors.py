"""Bad input gets one clear line and a non-zero exit, never a traceback."""

from __future__ import annotations

import json
import re
import subprocess

import pytest

from orderflow.settings import Settings
from orderflow.stack.ports import free_ports

from .running import ROOT, ok, orderflow, unique

pytestmark = pytest.mark.stack


def one_error_line(done: subprocess.CompletedProcess[str]) -> str:
    assert done.returncode != 0, done.stdout
    assert "Traceback" not in done.stderr
    lines = done.stderr.splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith("error: ")
    return lines[0]


@pytest.mark.parametrize(
    "command",
    [
        ["produce", "{topic}", "--value", "x"],
        ["consume", "{topic}", "--max", "1"],
        ["topics", "describe", "{topic}"],
        ["topics", "delete", "{topic}", "--yes"],
    ],
)
def test_unknown_topic(stack: Settings, command: list[str]) -> None:
    name = unique("no-such-topic")
    line = one_error_line(orderflow(stack, *(part.format(topic=name) for part in command)))
    assert line == (
        f"error: topic {name!r} does not exist; create it with: orderflow topics create {name}"
    )
    # Asking about it did not auto-create it.
    assert name not in ok(orderflow(stack, "topics", "list")).splitlines()


@pytest.mark.parametrize(
    "command",
    [
        ["topics", "list", "--timeout", "1"],
        ["produce", "t", "--value", "x", "--timeout", "1"],
        ["consume", "t", "--connect-timeout", "1"],
    ],
)
def test_unreachable_broker(stack: Settings, command: list[str]) -> None:
    (nobody,) = free_ports(1)
    done = orderflow(stack, *command, ORDERFLOW_KAFKA_PORT=str(nobody))
    line = one_error_line(done)
    assert line == (
        f"error: no Kafka broker answered at {stack.host}:{nobody} within 1 s; "
        "is the stack up? (orderflow stack up)"
    )


def test_a_message_that_is_not_avro_is_skipped_with_a_line(stack: Settings, topic: str) -> None:
    ok(orderflow(stack, "produce", topic, "--value", "plain text"))
    done = orderflow(stack, "consume", topic, "--avro", "--max", "1", "--timeout", "3")
    assert ok(done) == ""  # nothing decoded, and no error: the run ends idle
    (line,) = [line for line in done.stderr.splitlines() if line.startswith("skipped: ")]
    # Without a key the message may land in any of the topic's partitions.
    assert re.fullmatch(
        f"skipped: the message at {topic} partition [0-2] offset 0 is not Avro in the Confluent "
        r"wire format \(magic byte 0, schema id\); its first bytes are 70 6c 61 69 6e 20 74 65",
        line,
    ), line


def test_a_value_that_does_not_fit_the_schema(stack: Settings, topic: str) -> None:
    schema = str(ROOT / "examples" / "order_placed.avsc")
    not_json = orderflow(stack, "produce", topic, "--schema", schema, "--value", "{oops")
    assert one_error_line(not_json).startswith("error: line 1 is not JSON:")
    wrong = orderflow(
        stack, "produce", topic, "--schema", schema, "--value", json.dumps({"order_id": 7})
    )
    assert one_error_line(wrong).startswith("error: line 1 does not fit the schema:")


def test_unknown_subject(stack: Settings, topic: str) -> None:
    done = orderflow(stack, "produce", topic, "--subject", f"{topic}-value", "--value", "{}")
    assert one_error_line(done) == (
        f"error: schema registry at {stack.registry_url}: Subject '{topic}-value' not found."
    )


def test_creating_a_topic_twice(stack: Settings, topic: str) -> None:
    assert one_error_line(orderflow(stack, "topics", "create", topic)) == (
        f"error: topic {topic!r} already exists"
    )
    ok(orderflow(stack, "topics", "create", topic, "--if-not-exists"))
