"""The three paths of an order, through the HTTP API on the real stack."""

from __future__ import annotations

import uuid

import httpx
import psycopg
import pytest

from orderflow.events.ids import UserId
from orderflow.services.payment.accounts import balance_of, set_balance

from .client import detail, place, query, wait_terminal
from .system import System

pytestmark = pytest.mark.stack


def _user() -> str:
    return f"user-{uuid.uuid4()}"


def test_paid(system: System, http: httpx.Client) -> None:
    user = _user()
    order_id = place(http, user, ["item1", "item2"])

    assert wait_terminal(http, order_id) == "Paid"
    order = detail(http, order_id)
    assert [h["status"] for h in order["history"]] == [
        "Order Created",
        "Inventory Confirmed",
        "Shipped",
        "Paid",
    ]
    assert order["totalCents"] == 2050
    with psycopg.connect(system.settings.postgres_dsn) as conn:
        charged = system.settings.payment_default_balance_cents - 2050
        assert balance_of(conn, UserId(user)) == charged


def test_out_of_stock(system: System, http: httpx.Client) -> None:
    order_id = place(http, _user(), ["item1", "item3"])

    assert wait_terminal(http, order_id) == "Inventory Failed"
    rows = query(
        system.settings, "SELECT 1 FROM inventory.reservations WHERE order_id = %s", order_id
    )
    assert rows == []  # all or nothing: item1 was not held either


def test_declined_payment_is_compensated(system: System, http: httpx.Client) -> None:
    user = _user()
    with psycopg.connect(system.settings.postgres_dsn) as conn:
        set_balance(conn, UserId(user), 100)
    order_id = place(http, user, ["item2"])

    assert wait_terminal(http, order_id) == "Cancelled"
    statuses = [h["status"] for h in detail(http, order_id)["history"]]
    assert statuses[-2:] == ["Payment Failed", "Cancelled"]
    settings = system.settings
    assert query(
        settings, "SELECT state FROM inventory.reservations WHERE order_id = %s", order_id
    ) == [("released",)]
    assert query(
        settings, "SELECT state FROM shipping.shipments WHERE order_id = %s", order_id
    ) == [("cancelled",)]
    with psycopg.connect(settings.postgres_dsn) as conn:
        assert balance_of(conn, UserId(user)) == 100


def test_original_requests_verbatim(http: httpx.Client) -> None:
    placed = http.post(
        "/order",
        content=b'{"userId": "123", "items": ["item1", "item2"]}',
        headers={"Content-Type": "application/json"},
    )
    assert placed.status_code == 201
    order_id = placed.json()["orderId"]

    response = http.get(f"/order/status?orderId={order_id}")

    assert response.status_code == 200
    assert response.json()["orderId"] == order_id
    assert response.json()["status"] in {
        "Order Created", "Inventory Confirmed", "Shipped", "Paid",
    }  # fmt: skip


def test_follow_streams_every_status(http: httpx.Client) -> None:
    order_id = place(http, _user(), ["item1"])

    with http.stream("GET", f"/orders/{order_id}/events", params={"timeout": 30}) as response:
        lines = [line for line in response.iter_lines() if line.startswith("data:")]

    assert len(lines) == 4
    assert '"Paid"' in lines[-1]
