"""Events delivered again (as after a Connect crash) have no second effect."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest

from .client import detail, place, query, wait_terminal
from .kafka import GROUPS, headers_of, produce, read_all, wait_committed
from .system import System

pytestmark = pytest.mark.stack


def _effects(system: System, order_id: str, user: str) -> dict[str, Any]:
    s = system.settings
    return {
        "stock": query(s, "SELECT item_id, available, reserved FROM inventory.stock ORDER BY 1"),
        "reservations": query(
            s, "SELECT state FROM inventory.reservations WHERE order_id = %s", order_id
        ),
        "shipments": query(s, "SELECT state FROM shipping.shipments WHERE order_id = %s", order_id),
        "payments": query(s, "SELECT state FROM payment.payments WHERE order_id = %s", order_id),
        "balance": query(s, "SELECT balance_cents FROM payment.accounts WHERE user_id = %s", user),
    }


def test_redelivered_events_change_nothing(system: System, http: httpx.Client) -> None:
    user = f"user-{uuid.uuid4()}"
    order_id = place(http, user, ["item1", "item2"])
    assert wait_terminal(http, order_id) == "Paid"
    before = _effects(system, order_id, user)
    history = detail(http, order_id)["history"]
    records = [
        (topic, m)
        for topic in GROUPS
        for m in read_all(system.settings, topic)
        if m.key() == order_id.encode()
    ]
    assert len(records) == 4  # OrderCreated, InventoryReserved, ShipmentCreated, Paid

    for topic, m in records:
        partition, offset = produce(system.settings, topic, m.key(), m.value(), headers_of(m))
        for group in GROUPS[topic]:
            wait_committed(system.settings, group, topic, partition, offset)

    assert _effects(system, order_id, user) == before
    assert before["payments"] == [("completed",)]
    assert detail(http, order_id)["history"] == history
