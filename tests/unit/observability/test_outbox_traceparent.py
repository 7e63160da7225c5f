"""Outbox.rows: each row ends with its order's traceparent, the column the connector turns
into the record's ``traceparent`` header."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest
from confluent_kafka.schema_registry import SchemaRegistryClient

from orderflow.events.codec import EventCodec
from orderflow.events.ids import EventId, ItemId, OrderId, UserId
from orderflow.events.model import Event, InventoryReserved, OrderCreated
from orderflow.events.registration import register_schemas
from orderflow.events.topics import INVENTORY_EVENTS, ORDER_EVENTS
from orderflow.messaging.outbox import Outbox

TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"


@pytest.fixture(scope="module")
def codec() -> EventCodec:
    client = SchemaRegistryClient.new_client({"url": "mock://outbox-traceparent-tests"})
    register_schemas(client, "mock://outbox-traceparent-tests")
    return EventCodec(client)


def created(order: str) -> OrderCreated:
    return OrderCreated(
        event_id=EventId(str(uuid.uuid4())),
        order_id=OrderId(order),
        occurred_at=datetime(2026, 1, 1, tzinfo=UTC),
        user_id=UserId("u"),
        items=(ItemId("item1"),),
        total_cents=5,
    )


def reserved(order: str) -> InventoryReserved:
    return InventoryReserved(
        event_id=EventId(str(uuid.uuid4())),
        order_id=OrderId(order),
        occurred_at=datetime(2026, 1, 1, tzinfo=UTC),
        user_id=UserId("u"),
        items=(ItemId("item1"),),
        total_cents=5,
    )


def test_each_row_ends_with_its_orders_traceparent_or_none(codec: EventCodec) -> None:
    traced, untraced = created("order-1"), reserved("order-2")

    rows = Outbox("order", codec).rows([traced, untraced], {"order-1": TRACEPARENT})

    assert [row[-1] for row in rows] == [TRACEPARENT, None]


def test_a_row_is_the_events_id_topic_key_type_payload_and_trace(codec: EventCodec) -> None:
    events: list[Event] = [created("order-1"), reserved("order-1")]

    rows = Outbox("inventory", codec).rows(events, {"order-1": TRACEPARENT})

    assert [row[:4] for row in rows] == [
        (events[0].event_id, ORDER_EVENTS, "order-1", "OrderCreated"),
        (events[1].event_id, INVENTORY_EVENTS, "order-1", "InventoryReserved"),
    ]
    assert [codec.decode(row[1], row[4]) for row in rows] == events
    assert [row[5] for row in rows] == [TRACEPARENT, TRACEPARENT]


def test_traceparents_of_other_orders_are_not_taken(codec: EventCodec) -> None:
    rows = Outbox("order", codec).rows([created("order-1")], {"order-9": TRACEPARENT})

    assert rows[0][-1] is None


def test_no_events_no_rows(codec: EventCodec) -> None:
    assert Outbox("order", codec).rows([], {"order-1": TRACEPARENT}) == []
