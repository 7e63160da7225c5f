"""Every kind of bad record on a topic is dead-lettered with its reason; the consumers go on.

test_poison.py sends one kind (framed, unknown schema, garbage body) to every
topic; here each other kind goes to OrderEventsTopic, read by InventoryService
and OrderStatusService.
"""

from __future__ import annotations

import struct
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime

import httpx
import pytest

from orderflow.access import registry_access
from orderflow.events.codec import EventCodec
from orderflow.events.ids import EventId, ItemId, OrderId, UserId
from orderflow.events.model import InventoryReserved, OrderCreated
from orderflow.events.registration import registry_client
from orderflow.settings import Settings

from .client import place, wait_terminal
from .kafka import dead_lettered
from .system import System

pytestmark = pytest.mark.stack

TOPIC = "OrderEventsTopic"


def _created(order_id: str) -> OrderCreated:
    return OrderCreated(
        event_id=EventId(str(uuid.uuid4())),
        order_id=OrderId(order_id),
        occurred_at=datetime.now(UTC),
        user_id=UserId("poison"),
        items=(ItemId("item1"),),
        total_cents=1250,
    )


def _valid_body(codec: EventCodec) -> bytes:
    return codec.encode(_created(str(uuid.uuid4())))[5:]


Payload = Callable[[EventCodec], bytes | None]

# What is sent, and a word the dead letter's dlq.reason must contain.
VARIANTS: dict[str, tuple[Payload, str]] = {
    "not framed at all": (lambda _: b'{"orderId": "1"}', "magic byte 0x7b"),
    "no value": (lambda _: None, "empty payload"),
    "wrong magic byte": (
        lambda codec: b"\x01" + struct.pack(">I", 1) + _valid_body(codec),
        "magic byte 0x01",
    ),
    "unknown schema id": (
        lambda codec: b"\x00" + struct.pack(">I", 987654) + _valid_body(codec),
        "987654",
    ),
    "a record of another topic's schema": (
        lambda codec: codec.encode(
            InventoryReserved(
                event_id=EventId(str(uuid.uuid4())),
                order_id=OrderId(str(uuid.uuid4())),
                occurred_at=datetime.now(UTC),
                user_id=UserId("poison"),
                items=(ItemId("item1"),),
                total_cents=1250,
            )
        ),
        "orderflow.events.InventoryEvent",
    ),
    "an empty orderId": (lambda codec: codec.encode(_created("")), "orderId is empty"),
}


@pytest.fixture(scope="module")
def codec(stack: Settings) -> Iterator[EventCodec]:
    with registry_client(registry_access(stack)) as client:
        yield EventCodec(client)


@pytest.mark.parametrize("variant", list(VARIANTS))
def test_bad_record_is_dead_lettered_with_its_reason(
    system: System, http: httpx.Client, codec: EventCodec, variant: str
) -> None:
    make, reason = VARIANTS[variant]
    letters = dead_lettered(system.settings, TOPIC, make(codec))

    for headers in letters.values():
        assert headers["dlq.reason"].startswith("undecodable"), headers
        assert reason in headers["dlq.reason"], headers["dlq.reason"]
    order_id = place(http, f"user-{uuid.uuid4()}", ["item1"])
    assert wait_terminal(http, order_id) == "Paid"
