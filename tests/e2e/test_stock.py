"""Stock is conserved: available + reserved only changes when someone sets it."""

from __future__ import annotations

import uuid

import httpx
import psycopg
import pytest

from orderflow.events.ids import UserId
from orderflow.services.payment.accounts import set_balance

from .client import place, query, wait_terminal
from .system import System

pytestmark = pytest.mark.stack


def _totals(system: System) -> dict[str, int]:
    rows = query(system.settings, "SELECT item_id, available + reserved FROM inventory.stock")
    return {str(item): int(total) for item, total in rows}


def test_paid_and_declined_orders_conserve_stock(system: System, http: httpx.Client) -> None:
    before = _totals(system)
    broke = f"broke-{uuid.uuid4()}"
    with psycopg.connect(system.settings.postgres_dsn) as conn:
        set_balance(conn, UserId(broke), 0)
    orders = [place(http, f"user-{uuid.uuid4()}", ["item1", "item2"]) for _ in range(5)]
    orders += [place(http, broke, ["item2"]) for _ in range(3)]

    outcomes = sorted(wait_terminal(http, order_id) for order_id in orders)

    assert outcomes == ["Cancelled"] * 3 + ["Paid"] * 5
    assert _totals(system) == before
