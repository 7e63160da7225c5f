"""The OrderService API against an in-memory store: status codes and error bodies."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from .order_fakes import FakeOrders, serving


@pytest.fixture
def orders() -> FakeOrders:
    return FakeOrders()


@pytest.fixture
def client(orders: FakeOrders) -> Iterator[TestClient]:
    with serving(orders, body_limit_bytes=1024) as test_client:
        yield test_client


def test_post_order_as_the_original(client: TestClient, orders: FakeOrders) -> None:
    response = client.post("/order", json={"userId": "123", "items": ["item1", "item2"]})

    assert response.status_code == 201
    order_id = response.json()["orderId"]
    assert str(uuid.UUID(order_id)) == order_id
    order, created = orders.placed[order_id]
    assert order.total_cents == 2050
    assert created.order_id == order_id
    assert orders.claims == [None]  # no key, nothing to claim


def test_a_placed_order_is_located_at_its_detail(client: TestClient) -> None:
    response = client.post("/order", json={"userId": "123", "items": ["item1"]})

    assert response.status_code == 201
    assert response.headers["location"] == f"/orders/{response.json()['orderId']}"
    assert client.get(response.headers["location"]).json()["items"] == ["item1"]
    assert "idempotent-replayed" not in response.headers


def test_post_without_json_content_type_still_parses(client: TestClient) -> None:
    response = client.post(
        "/order",
        content=b'{"userId":"123","items":["item1"]}',
        headers={"content-type": "application/x-www-form-urlencoded"},
    )

    assert response.status_code == 201


def test_status_as_the_original(client: TestClient) -> None:
    order_id = client.post("/order", json={"userId": "u", "items": ["item3"]}).json()["orderId"]

    response = client.get("/order/status", params={"orderId": order_id})

    assert response.status_code == 200
    assert response.json() == {"orderId": order_id, "status": "Order Created"}


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ({"userId": "123", "items": ["item1", "nope"]}, 422, "items[1]"),
        ({"userId": "", "items": ["item1"]}, 422, "userId"),
        ({"userId": "123", "items": []}, 422, "items"),
        ({"userId": 123, "items": ["item1"]}, 422, "userId"),
        ({"items": ["item1"]}, 422, "userId"),
        ({"userId": "123", "items": "item1"}, 422, "items"),
    ],
)
def test_bad_orders_name_the_field(
    client: TestClient, orders: FakeOrders, body: object, status: int, field: str
) -> None:
    response = client.post("/order", json=body)

    assert response.status_code == status
    assert response.json()["field"] == field
    assert orders.placed == {}


def test_malformed_json_is_a_bad_request(client: TestClient) -> None:
    response = client.post(
        "/order", content=b'{"userId": "1"', headers={"content-type": "application/json"}
    )

    assert response.status_code == 400
    assert response.json()["error"] == "bad_request"


def test_body_over_the_limit_is_413(client: TestClient, orders: FakeOrders) -> None:
    response = client.post("/order", json={"userId": "123", "items": ["item1"] * 500})

    assert response.status_code == 413
    assert response.json()["field"] == "body"
    assert orders.placed == {}


def test_wrong_method_is_405(client: TestClient) -> None:
    response = client.get("/order")

    assert response.status_code == 405
    assert response.json()["error"] == "method_not_allowed"


@pytest.mark.parametrize("query", ["", "?orderId="])
def test_status_without_order_id_is_400_naming_it(client: TestClient, query: str) -> None:
    response = client.get(f"/order/status{query}")

    assert response.status_code == 400
    assert response.json()["field"] == "orderId"


@pytest.mark.parametrize("order_id", [str(uuid.uuid4()), "not-a-uuid"])
def test_unknown_order_is_404(client: TestClient, order_id: str) -> None:
    assert client.get("/order/status", params={"orderId": order_id}).status_code == 404
    assert client.get(f"/orders/{order_id}").status_code == 404
    assert client.get(f"/orders/{order_id}/events").status_code == 404


def test_order_detail_has_items_total_and_history(client: TestClient) -> None:
    order_id = client.post("/order", json={"userId": "u", "items": ["item2"]}).json()["orderId"]

    detail = client.get(f"/orders/{order_id}").json()

    assert detail["items"] == ["item2"]
    assert detail["totalCents"] == 800
    assert [h["status"] for h in detail["history"]] == ["Order Created"]


def test_follow_streams_until_terminal(client: TestClient) -> None:
    order_id = client.post("/order", json={"userId": "u", "items": ["item3"]}).json()["orderId"]

    with client.stream("GET", f"/orders/{order_id}/events", params={"timeout": 5}) as response:
        body = "".join(response.iter_text())

    assert response.headers["content-type"].startswith("text/event-stream")
    assert '"status": "Order Created"' in body


def test_openapi_docs_are_served(client: TestClient) -> None:
    assert client.get("/docs").status_code == 200
    assert "/orders/{orderId}" in client.get("/openapi.json").json()["paths"]


@pytest.mark.parametrize(
    "content_type", ["text/xml", "application/xml", "multipart/form-data; boundary=x", "image/png"]
)
def test_a_body_declared_as_something_else_is_415(
    client: TestClient, orders: FakeOrders, content_type: str
) -> None:
    response = client.post(
        "/order",
        content=b'{"userId":"123","items":["item1"]}',
        headers={"content-type": content_type},
    )

    assert response.status_code == 415
    assert response.json()["field"] == "content-type"
    assert content_type.split(";")[0] in response.json()["message"]
    assert orders.placed == {}


@pytest.mark.parametrize("content_type", [None, "text/plain", "application/merge-patch+json"])
def test_a_body_without_a_json_type_is_still_read_as_json(
    client: TestClient, content_type: str | None
) -> None:
    headers = {} if content_type is None else {"content-type": content_type}
    response = client.post("/order", content=b'{"userId":"123","items":["item1"]}', headers=headers)

    assert response.status_code == 201


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"userId": "u" * 201, "items": ["item1"]}, "userId"),
        ({"userId": "123", "items": ["item1"] * 101}, "items"),
        ({"userId": "123", "items": ["item1", "x" * 101]}, "items[1]"),
        ({"userId": "a\u0000b", "items": ["item1"]}, "userId"),
    ],
    ids=["long userId", "many items", "long item", "NUL"],
)
def test_oversized_or_unstorable_fields_are_422_naming_them(
    orders: FakeOrders, body: object, field: str
) -> None:
    # A body limit the big bodies fit under, so that the field bounds answer.
    with serving(orders, body_limit_bytes=64 * 1024) as roomy:
        response = roomy.post("/order", json=body)

    assert response.status_code == 422
    assert response.json()["field"] == field
    assert orders.placed == {}


def test_every_error_body_has_one_shape_and_serialization(client: TestClient) -> None:
    # The middlewares (413, 415) answer before FastAPI does; their bodies are the
    # exception handlers' own, byte for byte in the same JSON style.
    too_large = client.post("/order", json={"userId": "123", "items": ["item1"] * 500})
    not_json = client.post("/order", content=b"<order/>", headers={"content-type": "text/xml"})
    unknown = client.get("/orders/nope")

    assert too_large.content == (
        b'{"error":"body_too_large","message":"request body over 1024 bytes","field":"body"}'
    )
    assert not_json.content == (
        b'{"error":"unsupported_media_type",'
        b'"message":"content type \'text/xml\' is not JSON; send application/json",'
        b'"field":"content-type"}'
    )
    assert (
        unknown.content == b'{"error":"not_found","message":"no order \'nope\'","field":"orderId"}'
    )
    for response in (too_large, not_json, unknown):
        assert response.headers["content-type"] == "application/json"
        assert response.headers["content-length"] == str(len(response.content))
