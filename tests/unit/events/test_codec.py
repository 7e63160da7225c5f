from __future__ import annotations

from datetime import UTC, datetime

import pytest
from confluent_kafka.schema_registry import SchemaRegistryClient

from orderflow.events.codec import EventCodec, UndecodableEvent
from orderflow.events.ids import EventId, ItemId, OrderId, ShipmentId, UserId
from orderflow.events.model import (
    EVENT_TYPES,
    Event,
    InventoryRejected,
    InventoryReleased,
    InventoryReserved,
    OrderCreated,
    PaymentCompleted,
    PaymentDeclined,
    ShipmentCancelled,
    ShipmentCreated,
)
from orderflow.events.registration import register_schemas

_AT = datetime(2026, 11, 26, 12, 30, 5, 123000, tzinfo=UTC)
_ORDER = OrderId("7d0c43f4-0a77-4f55-8d9c-1c51cbf9f0aa")
_USER = UserId("123")
_ITEMS = (ItemId("item1"), ItemId("item2"))
_SHIPMENT = ShipmentId("0b6fb1a4-4b0b-4a71-9d3c-7b57b7c4b4b1")


def _id(n: int) -> EventId:
    return EventId(f"00000000-0000-4000-8000-{n:012d}")


EXAMPLES: list[Event] = [
    OrderCreated(
        event_id=_id(1), order_id=_ORDER, occurred_at=_AT, user_id=_USER, items=_ITEMS,
        total_cents=2050,
    ),
    InventoryReserved(
        event_id=_id(2), order_id=_ORDER, occurred_at=_AT, user_id=_USER, items=_ITEMS,
        total_cents=2050,
    ),
    InventoryRejected(
        event_id=_id(3), order_id=_ORDER, occurred_at=_AT, user_id=_USER, items=_ITEMS,
        total_cents=2050, reason="out of stock: item3",
    ),
    InventoryReleased(
        event_id=_id(4), order_id=_ORDER, occurred_at=_AT, user_id=_USER, items=_ITEMS,
        total_cents=2050,
    ),
    ShipmentCreated(
        event_id=_id(5), order_id=_ORDER, occurred_at=_AT, shipment_id=_SHIPMENT,
        user_id=_USER, total_cents=2050,
    ),
    ShipmentCancelled(
        event_id=_id(6), order_id=_ORDER, occurred_at=_AT, shipment_id=_SHIPMENT,
        user_id=_USER, total_cents=2050,
    ),
    PaymentCompleted(
        event_id=_id(7), order_id=_ORDER, occurred_at=_AT, user_id=_USER, amount_cents=2050
    ),
    PaymentDeclined(
        event_id=_id(8), order_id=_ORDER, occurred_at=_AT, user_id=_USER, amount_cents=2050,
        reason="insufficient funds",
    ),
]  # fmt: skip


@pytest.fixture
def codec() -> EventCodec:
    client = SchemaRegistryClient.new_client({"url": "mock://codec-tests"})
    register_schemas(client, "mock://codec-tests")
    return EventCodec(client)


def test_every_event_type_has_an_example() -> None:
    assert {type(e) for e in EXAMPLES} == set(EVENT_TYPES)


@pytest.mark.parametrize("event", EXAMPLES, ids=lambda e: type(e).__name__)
def test_round_trip(codec: EventCodec, event: Event) -> None:
    payload = codec.encode(event)

    assert payload[0] == 0  # Confluent magic byte, then a 4-byte schema id
    assert codec.decode(event.topic, payload) == event


def test_event_on_the_wrong_topic_is_undecodable(codec: EventCodec) -> None:
    payload = codec.encode(EXAMPLES[0])

    with pytest.raises(UndecodableEvent, match="SchemaResolutionError"):
        codec.decode("InventoryEventsTopic", payload)


@pytest.mark.parametrize("payload", [b"", b"not avro", b"\x00\x00\x00\x00\x01\xff\xff"])
def test_garbage_is_undecodable(codec: EventCodec, payload: bytes) -> None:
    with pytest.raises(UndecodableEvent):
        codec.decode("OrderEventsTopic", payload)


@pytest.mark.parametrize("payload", [b'{"orderId": "1"}', b"\x01\x00\x00\x00\x01body", b"\x00\x00"])
def test_a_record_not_in_the_wire_format_says_so(codec: EventCodec, payload: bytes) -> None:
    with pytest.raises(UndecodableEvent, match=f"magic byte {payload[0]:#04x}"):
        codec.decode("OrderEventsTopic", payload)


def test_an_unknown_schema_id_is_undecodable(codec: EventCodec) -> None:
    body = codec.encode(EXAMPLES[0])[5:]

    with pytest.raises(UndecodableEvent, match="SchemaRegistryError"):
        codec.decode("OrderEventsTopic", b"\x00\x00\x00\x03\xe7" + body)  # id 999


def test_the_writer_schema_is_fetched_once_per_id(monkeypatch: pytest.MonkeyPatch) -> None:
    client = SchemaRegistryClient.new_client({"url": "mock://codec-cache"})
    register_schemas(client, "mock://codec-cache")
    codec = EventCodec(client)
    payload = codec.encode(EXAMPLES[0])
    fetched: list[int] = []
    fetch = client.get_schema

    def counted(schema_id: int, *args: object, **kwargs: object) -> object:
        fetched.append(schema_id)
        return fetch(schema_id, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(client, "get_schema", counted)
    for _ in range(3):
        assert codec.decode("OrderEventsTopic", payload) == EXAMPLES[0]

    assert fetched == [int.from_bytes(payload[1:5], "big")]
