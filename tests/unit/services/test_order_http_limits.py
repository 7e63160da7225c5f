"""BodyLimit: a 413 for every body over the limit, sent once the body has been read.

The ASGI-level tests record, in order, what the middleware receives and
sends: the answer must come after the last chunk of a refused body, since a
server that answers and closes while the client still sends makes the kernel
reset the connection (what a 10 MB body with ``Connection: close`` got).
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from starlette.types import Message, Receive, Scope, Send

from orderflow.services.order.web import limits
from orderflow.services.order.web.limits import BodyLimit

from .order_fakes import FakeOrders, serving

LIMIT = 1024


class Client:
    """The client side of one request: its body in chunks, and a log of what happened."""

    def __init__(self, *chunks: bytes, then_wait: bool = False) -> None:
        self.chunks = list(chunks)
        self.then_wait = then_wait
        self.log: list[str] = []
        self.sent: list[Message] = []

    async def receive(self) -> Message:
        if not self.chunks:
            assert self.then_wait, "read past the end of the body"
            self.log.append("waiting")
            await asyncio.Event().wait()  # a client that stopped sending mid-body
        chunk = self.chunks.pop(0)
        self.log.append(f"chunk {len(chunk)}")
        more = bool(self.chunks) or self.then_wait
        return {"type": "http.request", "body": chunk, "more_body": more}

    async def send(self, message: Message) -> None:
        self.log.append(message["type"])
        self.sent.append(message)

    def headers(self) -> dict[bytes, bytes]:
        return dict(self.sent[0]["headers"])


def request(*headers: tuple[bytes, bytes]) -> Scope:
    return {"type": "http", "method": "POST", "path": "/order", "headers": list(headers)}


async def reading_app(scope: Scope, receive: Receive, send: Send) -> None:
    """Reads the whole body, then answers 200; or answers 400 if reading fails, as
    FastAPI does with an error raised while it reads a body."""
    try:
        while (await receive()).get("more_body", False):
            pass
    except Exception:
        await send({"type": "http.response.start", "status": 400, "headers": []})
        await send({"type": "http.response.body", "body": b"bad"})
        return
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": b"ok"})


def run(scope: Scope, client: Client) -> None:
    middleware = BodyLimit(reading_app, max_bytes=LIMIT)
    asyncio.run(asyncio.wait_for(middleware(scope, client.receive, client.send), timeout=5))


def length(n: int) -> tuple[bytes, bytes]:
    return (b"content-length", str(n).encode())


def test_an_announced_body_over_the_limit_is_read_to_its_end_then_refused() -> None:
    client = Client(b"x" * 1000, b"x" * 1000, b"x" * 1000)

    run(request(length(3000)), client)

    assert client.log == [
        "chunk 1000",
        "chunk 1000",
        "chunk 1000",
        "http.response.start",
        "http.response.body",
    ]
    assert client.sent[0]["status"] == 413
    assert b"connection" not in client.headers()  # read in full: the connection can stay


def test_a_streamed_body_over_the_limit_is_refused_once_read_whatever_the_app_said() -> None:
    client = Client(b"x" * 600, b"x" * 600, b"x" * 600, b"x" * 600)

    run(request(), client)

    assert client.log[:4] == ["chunk 600"] * 4
    assert [m.get("status") for m in client.sent if m["type"] == "http.response.start"] == [413]
    assert b"request body over 1024 bytes" in client.sent[1]["body"]


def test_a_body_that_ends_with_the_chunk_over_the_limit_is_not_read_further() -> None:
    client = Client(b"x" * 600, b"x" * 600)

    run(request(), client)  # Client asserts when read past the end

    assert client.sent[0]["status"] == 413


def test_a_client_waiting_for_100_continue_is_refused_before_it_sends() -> None:
    client = Client(b"x" * 3000)

    run(request(length(3000), (b"expect", b"100-continue")), client)

    assert client.log == ["http.response.start", "http.response.body"]
    assert client.sent[0]["status"] == 413


def test_a_refused_body_still_coming_after_the_drain_time_closes_the_connection(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(limits, "DRAIN_SECONDS", 0.01)
    client = Client(b"x" * 1000, then_wait=True)

    run(request(length(3000)), client)

    assert client.log[:2] == ["chunk 1000", "waiting"]
    assert client.sent[0]["status"] == 413
    assert client.headers()[b"connection"] == b"close"


def test_a_body_within_the_limit_reaches_the_app() -> None:
    client = Client(b"x" * 512, b"x" * 512)

    run(request(), client)

    assert client.sent[0]["status"] == 200


@pytest.fixture
def client() -> Iterator[TestClient]:
    with serving(FakeOrders(), body_limit_bytes=LIMIT) as test_client:
        yield test_client


def test_a_streamed_order_over_the_limit_is_413_not_a_parse_error(client: TestClient) -> None:
    def body() -> Iterator[bytes]:
        yield b'{"userId": "123", "items": ['
        yield b'"item1", ' * 200
        yield b'"item1"]}'

    response = client.post("/order", content=body(), headers={"content-type": "application/json"})

    assert response.status_code == 413
    assert response.json() == {
        "error": "body_too_large",
        "message": "request body over 1024 bytes",
        "field": "body",
    }


def test_a_streamed_order_within_the_limit_is_placed(client: TestClient) -> None:
    def body() -> Iterator[bytes]:
        yield b'{"userId": "123", '
        yield b'"items": ["item1"]}'

    response = client.post("/order", content=body(), headers={"content-type": "application/json"})

    assert response.status_code == 201


def test_any_method_with_a_body_over_the_limit_is_413(client: TestClient) -> None:
    answers: dict[str, Any] = {
        path: client.request("GET", path, content=b"x" * 2000).status_code
        for path in ("/order/status?orderId=x", "/orders/x", "/orders/x/events")
    }

    assert set(answers.values()) == {413}
