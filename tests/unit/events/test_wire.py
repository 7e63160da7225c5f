"""The Confluent wire format and subject naming, checked against what the codec writes."""

from __future__ import annotations

import struct
from datetime import UTC, datetime

import pytest
from confluent_kafka.schema_registry import SchemaRegistryClient
from confluent_kafka.serialization import MessageField, SerializationContext

from orderflow.events.codec import EventCodec
from orderflow.events.ids import EventId, OrderId, UserId
from orderflow.events.model import PaymentCompleted
from orderflow.events.registration import register_schemas
from orderflow.events.topics import ALL_TOPICS
from orderflow.events.wire import (
    HEADER_BYTES,
    MAGIC_BYTE,
    WireHeader,
    read_header,
    subject_for,
    subject_name_strategy,
)


def test_reads_magic_byte_and_big_endian_schema_id() -> None:
    assert read_header(b"\x00\x00\x00\x01\x02avro") == WireHeader(0, 258, 4)


def test_a_header_alone_is_framed_with_an_empty_body() -> None:
    assert read_header(b"\x00\xff\xff\xff\xff") == WireHeader(0, 2**32 - 1, 0)


@pytest.mark.parametrize(
    "payload", [None, b"", b"\x00\x00\x00\x01", b"\x01\x00\x00\x00\x01body", b"plain text"]
)
def test_not_the_wire_format(payload: bytes | None) -> None:
    assert read_header(payload) is None


def test_subject_is_topic_name_strategy() -> None:
    assert [subject_for(t) for t in ALL_TOPICS] == [
        "OrderEventsTopic-value",
        "InventoryEventsTopic-value",
        "ShippingEventsTopic-value",
        "PaymentEventsTopic-value",
    ]


def test_the_serializers_strategy_names_the_same_subject() -> None:
    ctx = SerializationContext("OrderEventsTopic", MessageField.VALUE)

    assert subject_name_strategy(ctx, "orderflow.OrderEvent") == "OrderEventsTopic-value"


def test_round_trip_through_the_codecs_framing() -> None:
    client = SchemaRegistryClient.new_client({"url": "mock://wire-tests"})
    ids = register_schemas(client, "mock://wire-tests")
    codec = EventCodec(client)
    event = PaymentCompleted(
        event_id=EventId("00000000-0000-4000-8000-000000000001"),
        order_id=OrderId("7d0c43f4-0a77-4f55-8d9c-1c51cbf9f0aa"),
        occurred_at=datetime(2026, 11, 26, 12, 30, 5, 123000, tzinfo=UTC),
        user_id=UserId("123"),
        amount_cents=2050,
    )

    payload = codec.encode(event)
    header = read_header(payload)

    schema_id = ids[subject_for(event.topic)]
    assert header == WireHeader(MAGIC_BYTE, schema_id, len(payload) - HEADER_BYTES)
    # A frame built from our own constants is one the codec reads back.
    body = payload[HEADER_BYTES:]
    assert codec.decode(event.topic, struct.pack(">BI", MAGIC_BYTE, schema_id) + body) == event
