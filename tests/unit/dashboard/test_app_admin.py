"""Stock and balances: bad input is a 4xx naming the field, before Postgres is asked;
a Postgres that does not answer is a 503 (here, one on a port nobody listens on)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from orderflow.dashboard.app import create_app
from orderflow.settings import Settings
from orderflow.stack.ports import free_ports


@pytest.fixture
def client() -> Iterator[TestClient]:
    (nobody,) = free_ports(1)
    with TestClient(create_app(Settings(postgres_port=nobody))) as client:
        yield client


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ({"available": -1}, 422, "available"),
        ({"available": "10"}, 422, "available"),  # strict: a string is not a number
        ({"available": 1.5}, 422, "available"),
        ({"available": 2**31}, 422, "available"),  # past Postgres's integer
        ({}, 422, "available"),
        ([10], 400, "body"),
        (None, 400, "body"),
    ],
)
def test_a_bad_restock_names_the_field(
    client: TestClient, body: Any, status: int, field: str
) -> None:
    answer = client.put("/api/stock/item1", json=body)

    assert answer.status_code == status, answer.text
    assert answer.json()["field"] == field
    assert set(answer.json()) == {"error", "message", "field"}


def test_a_body_that_is_not_json_is_a_bad_request(client: TestClient) -> None:
    answer = client.put(
        "/api/stock/item1", content=b"available=10", headers={"Content-Type": "application/json"}
    )

    assert (answer.status_code, answer.json()["field"]) == (400, "body")


def test_an_item_not_in_the_catalogue_is_not_stocked(client: TestClient) -> None:
    answer = client.put("/api/stock/item9", json={"available": 10})

    assert answer.status_code == 404
    assert answer.json()["error"] == "unknown_item"
    assert answer.json()["field"] == "itemId"
    assert "item1" in answer.json()["message"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"cents": -1}, "cents"),
        ({"cents": "0"}, "cents"),
        ({"cents": 2**63}, "cents"),
        ({}, "cents"),
    ],
)
def test_a_bad_balance_names_the_field(client: TestClient, body: Any, field: str) -> None:
    answer = client.put("/api/users/123/balance", json=body)

    assert (answer.status_code, answer.json()["field"]) == (422, field)


@pytest.mark.parametrize(("user", "status"), [("x" * 201, 400), ("a%00b", 400)])
def test_a_user_id_postgres_could_not_store_is_refused(
    client: TestClient, user: str, status: int
) -> None:
    answer = client.put(f"/api/users/{user}/balance", json={"cents": 0})

    assert (answer.status_code, answer.json()["field"]) == (status, "userId")


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("GET", "/api/stock", None),
        ("PUT", "/api/stock/item1", {"available": 10}),
        ("PUT", "/api/users/123/balance", {"cents": 0}),
    ],
)
def test_a_postgres_that_does_not_answer_is_a_503(
    client: TestClient, method: str, path: str, body: Any
) -> None:
    answer = client.request(method, path, json=body)

    assert answer.status_code == 503
    assert answer.json()["error"] == "database_unavailable"
    assert "Postgres" in answer.json()["message"]
    assert answer.headers["Retry-After"] == "1"


def test_an_item_is_shown_with_its_catalogue_price() -> None:
    from orderflow.dashboard.stock import item_document
    from orderflow.events.ids import ItemId
    from orderflow.services.inventory.stock_admin import StockLevel

    assert item_document(StockLevel(ItemId("item1"), 10, 2)) == {
        "itemId": "item1", "available": 10, "reserved": 2, "priceCents": 1250,
    }  # fmt: skip
    assert item_document(StockLevel(ItemId("gone"), 0, 0))["priceCents"] is None
