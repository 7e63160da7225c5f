"""The OrderService's OpenAPI document: readable operation ids, and every answer the
API gives declared on the operation that gives it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import psycopg
import pytest

from .order_fakes import FakeOrders, serving

ORDER = {"userId": "123", "items": ["item1"]}
SOME_ID = "3f6c1d9e-0000-4000-8000-000000000000"

OPERATIONS = {
    ("post", "/order"): ("placeOrder", {"201", "400", "413", "415", "422", "503"}),
    ("get", "/order/status"): ("getOrderStatus", {"200", "400", "404", "413", "503"}),
    ("get", "/orders/{orderId}"): ("getOrder", {"200", "404", "413", "503"}),
    ("get", "/orders/{orderId}/events"): ("streamOrderEvents", {"200", "400", "404", "413", "503"}),
}


class DownOrders(FakeOrders):
    async def status(self, order_id: str) -> str | None:
        raise psycopg.OperationalError("server closed the connection")


@pytest.fixture(scope="module")
def document() -> Iterator[dict[str, Any]]:
    with serving(FakeOrders()) as client:
        yield client.get("/openapi.json").json()


def operation(document: dict[str, Any], method: str, path: str) -> dict[str, Any]:
    found: dict[str, Any] = document["paths"][path][method]
    return found


def test_each_operation_has_a_readable_id(document: dict[str, Any]) -> None:
    ids = {
        (method, path): op["operationId"]
        for path, methods in document["paths"].items()
        for method, op in methods.items()
    }

    assert ids == {key: name for key, (name, _) in OPERATIONS.items()}


@pytest.mark.parametrize(("method", "path"), list(OPERATIONS))
def test_each_operation_declares_exactly_what_it_answers(
    document: dict[str, Any], method: str, path: str
) -> None:
    answers = operation(document, method, path)["responses"]

    assert set(answers) == OPERATIONS[method, path][1]
    for status, answer in answers.items():
        assert answer["description"], status
        if int(status) >= 400:
            schema = answer["content"]["application/json"]["schema"]
            assert schema == {"$ref": "#/components/schemas/ErrorBody"}, status


def test_fastapis_own_validation_error_is_not_in_the_document(document: dict[str, Any]) -> None:
    schemas = document["components"]["schemas"]

    assert "HTTPValidationError" not in schemas
    assert "ValidationError" not in schemas
    assert "HTTPValidationError" not in str(document)


def test_the_live_follow_is_declared_as_an_event_stream(document: dict[str, Any]) -> None:
    ok = operation(document, "get", "/orders/{orderId}/events")["responses"]["200"]

    assert list(ok["content"]) == ["text/event-stream"]
    assert "event: status" in ok["content"]["text/event-stream"]["example"]


def test_placing_declares_the_key_header_and_the_answers_headers(
    document: dict[str, Any],
) -> None:
    place = operation(document, "post", "/order")
    (key,) = [p for p in place["parameters"] if p["in"] == "header"]
    created = place["responses"]["201"]

    assert key["name"] == "Idempotency-Key"
    assert key["required"] is False
    (text,) = [kind for kind in key["schema"]["anyOf"] if kind["type"] == "string"]
    assert (text["minLength"], text["maxLength"]) == (1, 255)
    assert set(created["headers"]) == {"Location", "Idempotent-Replayed"}
    assert created["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/OrderPlaced"
    }
    assert "Retry-After" in place["responses"]["503"]["headers"]


JSON = {"content-type": "application/json"}
FORM = {"content-type": "application/x-www-form-urlencoded"}
ANSWERS: dict[str, tuple[int, str, str, dict[str, Any]]] = {
    "placed": (201, "post", "/order", {"json": ORDER}),
    "malformed JSON": (400, "post", "/order", {"content": b"{", "headers": JSON}),
    "empty key": (400, "post", "/order", {"json": ORDER, "headers": {"Idempotency-Key": ""}}),
    "too large": (413, "post", "/order", {"json": {**ORDER, "items": ["item1"] * 500}}),
    "a form": (415, "post", "/order", {"content": b"userId=1", "headers": FORM}),
    "unknown item": (422, "post", "/order", {"json": {**ORDER, "items": ["nope"]}}),
    "no orderId": (400, "get", "/order/status", {}),
    "unknown order": (404, "get", "/order/status", {"params": {"orderId": SOME_ID}}),
    "database down": (503, "get", "/order/status", {"params": {"orderId": SOME_ID}}),
    "a body on a read": (413, "get", f"/orders/{SOME_ID}", {"content": b"x" * 2000}),
    "no such order": (404, "get", f"/orders/{SOME_ID}", {}),
    "bad timeout": (400, "get", f"/orders/{SOME_ID}/events", {"params": {"timeout": "0"}}),
    "nothing to follow": (404, "get", f"/orders/{SOME_ID}/events", {}),
}


@pytest.mark.parametrize("case", list(ANSWERS))
def test_what_the_api_answers_is_declared(document: dict[str, Any], case: str) -> None:
    status, method, path, kwargs = ANSWERS[case]
    orders = DownOrders() if case == "database down" else FakeOrders()
    with serving(orders) as client:
        response = client.request(method.upper(), path, **kwargs)
    declared = operation(document, method, path.replace(SOME_ID, "{orderId}"))["responses"]

    assert response.status_code == status
    assert str(status) in declared
