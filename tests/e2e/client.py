"""Talking to the running system the way a user would: HTTP, plus a look at Postgres."""

from __future__ import annotations

from typing import Any

import httpx
import psycopg

from orderflow.services.order.status import TERMINAL
from orderflow.settings import Settings

from .system import wait_for


def place(http: httpx.Client, user_id: str, items: list[str]) -> str:
    response = http.post("/order", json={"userId": user_id, "items": items})
    assert response.status_code == 201, response.text
    order_id = response.json()["orderId"]
    assert isinstance(order_id, str)
    return order_id


def status(http: httpx.Client, order_id: str) -> str:
    response = http.get("/order/status", params={"orderId": order_id})
    assert response.status_code == 200, response.text
    found = response.json()["status"]
    assert isinstance(found, str)
    return found


def wait_terminal(http: httpx.Client, order_id: str, timeout_s: float = 60.0) -> str:
    def terminal() -> str | None:
        found = status(http, order_id)
        return found if found in TERMINAL else None

    return wait_for(f"order {order_id} to reach a terminal status", terminal, timeout_s)


def wait_status(http: httpx.Client, order_id: str, expected: str, timeout_s: float = 60.0) -> None:
    wait_for(
        f"order {order_id} to reach {expected}",
        lambda: True if status(http, order_id) == expected else None,
        timeout_s,
    )


def detail(http: httpx.Client, order_id: str) -> dict[str, Any]:
    response = http.get(f"/orders/{order_id}")
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def query(settings: Settings, sql: str, *params: object) -> list[tuple[Any, ...]]:
    with psycopg.connect(settings.postgres_dsn) as conn:
        return conn.execute(sql.encode(), params).fetchall()
