"""JsonByDefault: JSON mislabelled as a form (curl -d) is read; a real form is a 415."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from starlette.types import Message, Receive, Scope, Send

from orderflow.services.order.web.content_type import JsonByDefault

from .order_fakes import FakeOrders, serving

FORM = "application/x-www-form-urlencoded"


@pytest.fixture
def orders() -> FakeOrders:
    return FakeOrders()


@pytest.fixture
def client(orders: FakeOrders) -> Iterator[TestClient]:
    with serving(orders) as test_client:
        yield test_client


@pytest.mark.parametrize("content_type", [FORM, "text/plain", f"{FORM}; charset=utf-8"])
@pytest.mark.parametrize("body", [b"userId=123&items=item1", b"hello", b" x{}"])
def test_a_body_labelled_as_a_form_or_text_that_is_not_json_is_415(
    client: TestClient, orders: FakeOrders, content_type: str, body: bytes
) -> None:
    response = client.post("/order", content=body, headers={"content-type": content_type})

    assert response.status_code == 415
    assert response.json()["error"] == "unsupported_media_type"
    assert response.json()["field"] == "content-type"
    assert repr(content_type.split(";")[0]) in response.json()["message"]
    assert orders.placed == {}


def test_curl_dash_d_with_json_is_placed_as_the_original_had_it(client: TestClient) -> None:
    # What `curl -d '{"userId":"123","items":["item1"]}'` sends, leading spaces and all.
    response = client.post(
        "/order",
        content=b' \n\t{"userId":"123","items":["item1"]}',
        headers={"content-type": FORM},
    )

    assert response.status_code == 201


def test_an_empty_form_is_the_missing_body_it_is(client: TestClient) -> None:
    response = client.post("/order", content=b"", headers={"content-type": FORM})

    assert response.status_code == 400
    assert response.json()["field"] == "body"


def test_a_body_with_no_content_type_that_is_not_json_is_a_bad_request(
    client: TestClient,
) -> None:
    response = client.post("/order", content=b"userId=123")

    assert response.status_code == 400
    assert response.json()["error"] == "bad_request"


def test_the_peeked_chunks_reach_the_app_in_order() -> None:
    chunks = [b"  ", b"\n", b'{"a":', b"1}"]
    given: list[bytes] = []
    seen: list[bytes] = []

    async def receive() -> Message:
        chunk = chunks[len(given)]
        given.append(chunk)
        return {"type": "http.request", "body": chunk, "more_body": len(given) < len(chunks)}

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        assert dict(scope["headers"])[b"content-type"] == b"application/json"
        while True:
            message = await receive()
            seen.append(message["body"])
            if not message["more_body"]:
                return

    async def send(message: Message) -> None:
        raise AssertionError(f"answered {message}")

    scope = {"type": "http", "method": "POST", "headers": [(b"content-type", FORM.encode())]}
    asyncio.run(JsonByDefault(app)(scope, receive, send))

    assert seen == chunks
