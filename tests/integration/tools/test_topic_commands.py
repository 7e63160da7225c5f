"""`orderflow topics|produce|consume` as a user types them, against the real stack."""

from __future__ import annotations

import json

import pytest

from orderflow.settings import Settings

from .running import ROOT, ok, orderflow, unique

pytestmark = pytest.mark.stack

SCHEMA = str(ROOT / "examples" / "order_placed.avsc")


def test_create_list_describe_delete(stack: Settings) -> None:
    name = unique("topics-cli")
    created = orderflow(
        stack, "topics", "create", name, "--partitions", "4", "--config", "retention.ms=3600000"
    )
    assert ok(created) == f"Created topic {name}.\n"
    assert name in ok(orderflow(stack, "topics", "list")).splitlines()

    described = ok(orderflow(stack, "topics", "describe", name)).splitlines()
    assert described[0].startswith(f"Topic: {name}  Partitions: 4  ReplicationFactor: 1")
    assert "retention.ms=3600000" in described[1]
    assert [line.split()[1] for line in described[2:]] == ["0", "1", "2", "3"]

    assert ok(orderflow(stack, "topics", "delete", name, "--yes")) == f"Deleted topic {name}.\n"
    assert name not in ok(orderflow(stack, "topics", "list")).splitlines()


def test_produce_then_consume_text_with_keys(stack: Settings, topic: str) -> None:
    produced = orderflow(
        stack, "produce", topic, "--key-separator", ":", stdin="a:first\nb:second\n\na:third\n"
    )
    ok(produced)
    assert produced.stderr.strip() == f"produced 3 messages to {topic}"
    ok(orderflow(stack, "produce", topic, "--key", "c", "--value", "fourth", "--value", "fifth"))

    consumed = orderflow(stack, "consume", topic, "--print-key", "--max", "5")
    lines = ok(consumed).splitlines()
    assert sorted(lines) == sorted(["a\tfirst", "b\tsecond", "a\tthird", "c\tfourth", "c\tfifth"])
    # Per key, Kafka keeps the order they were sent in.
    assert [line for line in lines if line.startswith("a\t")] == ["a\tfirst", "a\tthird"]
    assert consumed.stderr.strip() == "consumed 5 messages"


def test_consume_from_the_end_sees_only_what_comes_later(stack: Settings, topic: str) -> None:
    ok(orderflow(stack, "produce", topic, "--value", "old"))
    consumed = orderflow(stack, "consume", topic, "--from-end", "--timeout", "2")
    assert ok(consumed) == ""
    assert consumed.stderr.strip() == "consumed 0 messages"


def test_a_group_resumes_where_it_left_off(stack: Settings, topic: str) -> None:
    group = unique("group")
    ok(orderflow(stack, "produce", topic, "--key", "k", "--value", "1", "--value", "2"))
    assert ok(orderflow(stack, "consume", topic, "--group", group, "--max", "2")) == "1\n2\n"
    ok(orderflow(stack, "produce", topic, "--key", "k", "--value", "3"))
    assert ok(orderflow(stack, "consume", topic, "--group", group, "--max", "1")) == "3\n"


def test_raw_bytes_are_shown_safely(stack: Settings, topic: str) -> None:
    ok(orderflow(stack, "produce", topic, "--value", "tab\there and a \\ and é"))
    shown = ok(orderflow(stack, "consume", topic, "--max", "1"))
    assert shown == "tab\\there and a \\\\ and é\n"


def test_avro_produce_and_consume_as_json(stack: Settings, topic: str) -> None:
    order = {"order_id": "o-1", "user_id": "123", "items": ["item1"], "placed_at_ms": 1}
    ok(orderflow(stack, "produce", topic, "--schema", SCHEMA, stdin=json.dumps(order) + "\n"))
    # With the subject's schema, as a second producer would: nothing new is registered.
    second = {**order, "order_id": "o-2", "items": []}
    ok(
        orderflow(
            stack, "produce", topic, "--subject", f"{topic}-value", "--value", json.dumps(second)
        )
    )

    shown = ok(orderflow(stack, "consume", topic, "--avro", "--max", "2")).splitlines()
    assert sorted(json.loads(line)["order_id"] for line in shown) == ["o-1", "o-2"]
    assert {json.dumps(json.loads(line), sort_keys=True) for line in shown} == {
        json.dumps(order, sort_keys=True),
        json.dumps(second, sort_keys=True),
    }
    raw = ok(orderflow(stack, "consume", topic, "--max", "1"))
    assert raw.startswith("\\x00\\x00\\x00"), raw  # magic byte 0, then the schema id
