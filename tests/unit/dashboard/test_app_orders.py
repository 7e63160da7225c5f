"""The orders' routes relay the OrderService (an httpx.MockTransport here): its answers
as it wrote them, the hops added, its stream passed through, a 502 when it is silent."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterator

import httpx
import pytest
from fastapi.testclient import TestClient

from orderflow.dashboard.app import create_app
from orderflow.settings import Settings

ORDER_ID = str(uuid.uuid4())
Handler = Callable[[httpx.Request], httpx.Response]


class OrderService:
    """The OrderService's side: what it was asked, and how it answers."""

    def __init__(self) -> None:
        self.asked: list[httpx.Request] = []
        self.answer: Handler = lambda _request: httpx.Response(500)

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.asked.append(request)
        return self.answer(request)


@pytest.fixture
def order_service() -> OrderService:
    return OrderService()


@pytest.fixture
def client(order_service: OrderService) -> Iterator[TestClient]:
    app = create_app(Settings(), order_transport=httpx.MockTransport(order_service))
    with TestClient(app) as client:
        yield client


def test_an_order_goes_to_post_order_as_it_came(
    client: TestClient, order_service: OrderService
) -> None:
    order_service.answer = lambda _r: httpx.Response(
        201, json={"orderId": ORDER_ID}, headers={"Location": f"/orders/{ORDER_ID}"}
    )
    body = b'{"userId": "123", "items": ["item1"]}'

    answer = client.post(
        "/api/orders",
        content=body,
        headers={"Content-Type": "application/json", "Idempotency-Key": "k-1"},
    )

    assert (answer.status_code, answer.json()) == (201, {"orderId": ORDER_ID})
    assert answer.headers["Location"] == f"/api/orders/{ORDER_ID}"
    (asked,) = order_service.asked
    assert (asked.method, asked.url.path, asked.content) == ("POST", "/order", body)
    assert asked.headers["Idempotency-Key"] == "k-1"


def test_the_order_service_s_refusal_comes_back_as_it_wrote_it(
    client: TestClient, order_service: OrderService
) -> None:
    refusal = {"error": "unknown_item", "message": "no item 'x'", "field": "items[0]"}
    order_service.answer = lambda _r: httpx.Response(422, json=refusal)

    answer = client.post("/api/orders", json={"userId": "123", "items": ["x"]})

    assert (answer.status_code, answer.json()) == (422, refusal)


def test_a_body_past_the_limit_is_refused_here(
    client: TestClient, order_service: OrderService
) -> None:
    limit = Settings().http_body_limit_bytes

    answer = client.post("/api/orders", content=b"x" * (limit + 1))

    assert answer.status_code == 413
    assert answer.json()["field"] == "body"
    assert order_service.asked == []


def test_a_silent_order_service_is_a_502_naming_it(
    client: TestClient, order_service: OrderService
) -> None:
    def refused(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=request)

    order_service.answer = refused

    answer = client.post("/api/orders", json={"userId": "123", "items": ["item1"]})

    assert answer.status_code == 502
    assert answer.json()["error"] == "order_service_unavailable"
    assert "OrderService" in answer.json()["message"]


def _detail(status: str = "Paid") -> dict[str, object]:
    return {
        "orderId": ORDER_ID,
        "userId": "123",
        "items": ["item1"],
        "totalCents": 1250,
        "status": status,
        "createdAt": "2026-12-03T16:40:00Z",
        "history": [
            {"status": "Order Created", "at": "2026-12-03T16:40:00Z"},
            {"status": "Inventory Confirmed", "at": "2026-12-03T16:40:00.010Z"},
        ],
        "traceId": "0af7651916cd43dd8448eb211c80319c",
    }


def test_an_order_is_the_order_service_s_with_its_hops(
    client: TestClient, order_service: OrderService
) -> None:
    order_service.answer = lambda _r: httpx.Response(200, json=_detail())

    answer = client.get(f"/api/orders/{ORDER_ID}")

    assert answer.status_code == 200
    assert answer.json() == {
        **_detail(),
        "hops": [{"from": "Order Created", "to": "Inventory Confirmed", "ms": 10.0}],
    }
    assert order_service.asked[0].url.path == f"/orders/{ORDER_ID}"


def test_an_unknown_order_is_its_404(client: TestClient, order_service: OrderService) -> None:
    missing = {"error": "not_found", "message": "no order", "field": "orderId"}
    order_service.answer = lambda _r: httpx.Response(404, json=missing)

    answer = client.get(f"/api/orders/{ORDER_ID}")

    assert (answer.status_code, answer.json()) == (404, missing)


@pytest.mark.parametrize(
    ("path", "field"),
    [
        ("/api/orders/not-an-id", "orderId"),
        ("/api/orders/not-an-id/events", "orderId"),
        ("/api/orders/..%2Forder", None),  # no route of ours: nothing spliced into its URL
    ],
)
def test_a_malformed_id_is_a_404_without_asking(
    client: TestClient, order_service: OrderService, path: str, field: str | None
) -> None:
    answer = client.get(path)

    assert (answer.status_code, answer.json()["field"]) == (404, field)
    assert order_service.asked == []


def test_an_order_not_as_the_order_service_writes_it_is_a_502(
    client: TestClient, order_service: OrderService
) -> None:
    order_service.answer = lambda _r: httpx.Response(200, json={"orderId": ORDER_ID})

    answer = client.get(f"/api/orders/{ORDER_ID}")

    assert (answer.status_code, answer.json()["error"]) == (502, "order_service_bad_answer")


def test_following_an_order_passes_its_stream_through(
    client: TestClient, order_service: OrderService
) -> None:
    events = "".join(
        f"event: status\ndata: {json.dumps({'orderId': ORDER_ID, 'status': s, 'at': '…'})}\n\n"
        for s in ("Order Created", "Paid")
    )
    order_service.answer = lambda _r: httpx.Response(
        200, content=events.encode(), headers={"Content-Type": "text/event-stream"}
    )

    answer = client.get(f"/api/orders/{ORDER_ID}/events", params={"timeout": "5"})

    assert answer.status_code == 200
    assert answer.headers["Content-Type"].startswith("text/event-stream")
    assert answer.text == events
    (asked,) = order_service.asked
    assert (asked.url.path, asked.url.params["timeout"]) == (f"/orders/{ORDER_ID}/events", "5")


def test_following_an_unknown_order_is_its_404(
    client: TestClient, order_service: OrderService
) -> None:
    order_service.answer = lambda _r: httpx.Response(404, json={"error": "not_found"})

    answer = client.get(f"/api/orders/{ORDER_ID}/events")

    assert (answer.status_code, answer.json()) == (404, {"error": "not_found"})
