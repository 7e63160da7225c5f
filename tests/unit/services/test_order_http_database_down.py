"""The OrderService while Postgres is down: a 503 with a JSON body, never a bare 500."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager

import psycopg
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from psycopg_pool import PoolTimeout

from orderflow.events.model import OrderCreated
from orderflow.services.order.domain import Order
from orderflow.services.order.idempotency import Idempotency, Placed
from orderflow.services.order.store import OrderView
from orderflow.services.order.watchers import StatusWatchers
from orderflow.services.order.web.app import create_app


class DownOrders:
    """What the Postgres store raises while the database restarts."""

    def __init__(self, error: Exception) -> None:
        self._error = error

    async def place(
        self, order: Order, created: OrderCreated, traceparent: str, claim: Idempotency | None
    ) -> Placed:
        raise self._error

    async def status(self, order_id: str) -> str | None:
        raise self._error

    async def find(self, order_id: str) -> OrderView | None:
        raise self._error


@pytest.fixture(
    params=[
        psycopg.OperationalError("consuming input failed: server closed the connection"),
        PoolTimeout("couldn't get a connection after 30.00 sec"),
    ],
    ids=["connection-lost", "pool-timeout"],
)
def client(request: pytest.FixtureRequest) -> Iterator[TestClient]:
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.orders = DownOrders(request.param)
        app.state.watchers = StatusWatchers(asyncio.get_running_loop())
        yield

    with TestClient(create_app(lifespan, body_limit_bytes=1024)) as test_client:
        yield test_client


def test_placing_an_order_while_postgres_is_down_is_a_503(client: TestClient) -> None:
    response = client.post("/order", json={"userId": "123", "items": ["item1"]})

    assert response.status_code == 503
    assert response.headers["retry-after"] == "1"
    assert response.json()["error"] == "unavailable"


def test_asking_a_status_while_postgres_is_down_is_a_503(client: TestClient) -> None:
    response = client.get(
        "/order/status", params={"orderId": "3f6c1d9e-0000-4000-8000-000000000000"}
    )

    assert response.status_code == 503
    assert response.json()["error"] == "unavailable"


@pytest.mark.parametrize("path", ["/orders/{id}", "/orders/{id}/events"])
def test_reading_an_order_while_postgres_is_down_is_a_503(client: TestClient, path: str) -> None:
    response = client.get(path.format(id="3f6c1d9e-0000-4000-8000-000000000000"))

    assert response.status_code == 503
    assert response.headers["retry-after"] == "1"


def test_a_retry_with_a_key_while_postgres_is_down_is_a_503(client: TestClient) -> None:
    response = client.post(
        "/order", json={"userId": "123", "items": ["item1"]}, headers={"Idempotency-Key": "k-1"}
    )

    assert response.status_code == 503
