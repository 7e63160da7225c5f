"""The broadcaster (one task, only while someone listens) and the two routes, in memory:
snapshots from a counting fake, Prometheus behind httpx.MockTransport."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Coroutine, MutableMapping
from contextlib import asynccontextmanager
from typing import Any, TypeVar

import httpx
import pytest
from fastapi import FastAPI

from orderflow.dashboard.history import history
from orderflow.dashboard.live import Broadcaster, MakeSnapshot, router
from orderflow.dashboard.prometheus import Prometheus
from orderflow.stack.ports import free_ports

T = TypeVar("T")
INTERVAL_S = 0.05


def run(test: Coroutine[Any, Any, T]) -> T:
    return asyncio.run(asyncio.wait_for(test, timeout=10))


class Counting:
    """Snapshots numbered 1, 2, …; counts how often its sources were opened and closed."""

    def __init__(self) -> None:
        self.opened = self.closed = self.made = 0

    @asynccontextmanager
    async def open(self) -> AsyncIterator[MakeSnapshot]:
        self.opened += 1
        try:
            yield self.make
        finally:
            self.closed += 1

    async def make(self) -> str:
        self.made += 1
        return json.dumps({"n": self.made})


def number(snapshot: str) -> int:
    found: int = json.loads(snapshot)["n"]
    return found


def test_nothing_is_read_while_no_one_listens() -> None:
    counting = Counting()

    async def test() -> None:
        Broadcaster(counting.open, INTERVAL_S)
        await asyncio.sleep(INTERVAL_S * 4)

    run(test())
    assert (counting.opened, counting.made) == (0, 0)


def test_one_task_makes_each_snapshot_for_every_subscriber() -> None:
    counting = Counting()
    broadcaster = Broadcaster(counting.open, INTERVAL_S)

    async def test() -> None:
        async with broadcaster.subscribe() as first:
            assert number(await first.get()) == 1  # at once
            async with broadcaster.subscribe() as second:
                assert number(second.get_nowait()) == 1  # the newest, at once
                a, b = await first.get(), await second.get()
                assert a == b
                assert number(a) == 2
        await broadcaster.aclose()

    run(test())
    assert (counting.opened, counting.closed) == (1, 1)
    assert counting.made == 2


def test_the_task_stops_when_the_last_subscriber_leaves_and_starts_again_for_the_next() -> None:
    counting = Counting()
    broadcaster = Broadcaster(counting.open, INTERVAL_S)

    async def test() -> None:
        async with broadcaster.subscribe() as snapshots:
            await snapshots.get()
        await asyncio.sleep(INTERVAL_S * 4)
        assert counting.closed == 1  # its connections closed, without being told to
        made = counting.made
        await asyncio.sleep(INTERVAL_S * 4)
        assert counting.made == made  # and nothing made since
        async with broadcaster.subscribe() as snapshots:
            # A fresh one, not the last made before: that may be long stale.
            assert number(await snapshots.get()) == made + 1
        await broadcaster.aclose()

    run(test())
    assert (counting.opened, counting.closed) == (2, 2)


def test_a_slow_subscriber_gets_the_newest_snapshot_not_a_backlog() -> None:
    counting = Counting()
    broadcaster = Broadcaster(counting.open, INTERVAL_S)

    async def test() -> None:
        async with broadcaster.subscribe() as snapshots:
            await asyncio.sleep(INTERVAL_S * 5)
            assert snapshots.qsize() == 1
            assert number(snapshots.get_nowait()) == counting.made
        await broadcaster.aclose()

    run(test())


async def first_event_then_leave(app: FastAPI) -> tuple[int, dict[str, str], str]:
    """GET /api/live as a browser would, until its first event; then it goes away."""
    scope = {
        "type": "http",
        "asgi": {"version": "3.0", "spec_version": "2.3"},  # as uvicorn serves
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": "/api/live",
        "raw_path": b"/api/live",
        "query_string": b"",
        "headers": [(b"accept", b"text/event-stream")],
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 8094),
    }
    left = asyncio.Event()
    started: dict[str, Any] = {}
    body = b""
    requested = False

    async def receive() -> dict[str, Any]:
        nonlocal requested
        if not requested:
            requested = True
            return {"type": "http.request", "body": b"", "more_body": False}
        await left.wait()
        return {"type": "http.disconnect"}

    async def send(message: MutableMapping[str, Any]) -> None:
        nonlocal body
        if message["type"] == "http.response.start":
            started.update(message)
        elif message["type"] == "http.response.body":
            body += message.get("body", b"")
            if b"\n\n" in body:
                left.set()

    await app(scope, receive, send)
    headers = {k.decode(): v.decode() for k, v in started["headers"]}
    return started["status"], headers, body.decode()


def test_the_stream_sends_a_snapshot_at_once_and_drops_a_browser_that_leaves() -> None:
    counting = Counting()
    broadcaster = Broadcaster(counting.open, INTERVAL_S)
    app = FastAPI()
    app.include_router(router(broadcaster, "http://prometheus.test"))

    async def test() -> tuple[int, dict[str, str], str, int]:
        answered = await first_event_then_leave(app)
        await asyncio.sleep(INTERVAL_S * 2)  # for the stopped task to close its sources
        # Read before asyncio.run ends, which would cancel a task still running.
        return (*answered, counting.closed)

    status, headers, body, closed = run(test())

    assert status == 200
    assert headers["content-type"].startswith("text/event-stream")
    assert body.startswith('event: snapshot\ndata: {"n": 1}\n\n')
    assert broadcaster.subscribers == 0
    assert (counting.opened, closed) == (1, 1)


def get(app: FastAPI, path: str) -> httpx.Response:
    async def call() -> httpx.Response:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://dashboard") as client:
            return await client.get(path)

    return run(call())


@pytest.mark.parametrize("minutes", ["0", "61", "ten", "-5", "2.5", ""])
def test_history_refuses_minutes_outside_1_to_60_naming_the_field(minutes: str) -> None:
    app = FastAPI()
    app.include_router(router(Broadcaster(Counting().open, INTERVAL_S), "http://prometheus.test"))

    answer = get(app, f"/api/history?minutes={minutes}")

    assert answer.status_code == 422
    assert answer.json()["field"] == "minutes"
    assert answer.json()["error"] == "invalid_minutes"


def test_history_without_prometheus_is_503_saying_so() -> None:
    app = FastAPI()
    (port,) = free_ports(1)
    nobody = f"http://127.0.0.1:{port}"
    app.include_router(router(Broadcaster(Counting().open, INTERVAL_S), nobody))

    answer = get(app, "/api/history?minutes=10")

    assert answer.status_code == 503
    assert answer.json()["error"] == "prometheus_unavailable"


def test_history_is_three_range_queries_over_the_minutes_asked_in_ms_and_per_second() -> None:
    asked: list[httpx.QueryParams] = []

    def answer(request: httpx.Request) -> httpx.Response:
        asked.append(request.url.params)
        values = [[1764780000, "0.05"], [1764780005, "NaN"]]
        result = [{"metric": {}, "values": values}]
        return httpx.Response(200, json={"status": "success", "data": {"result": result}})

    async def call() -> dict[str, Any]:
        async with httpx.AsyncClient(transport=httpx.MockTransport(answer)) as client:
            return await history(Prometheus(client, "http://prometheus.test"), 10, 1764780600)

    found = run(call())

    assert found == {
        "stepSeconds": 5,
        "completedPerSecond": [[1764780000.0, 0.05]],
        "p50Ms": [[1764780000.0, 50.0]],
        "p99Ms": [[1764780000.0, 50.0]],
    }
    assert {(p["start"], p["end"], p["step"]) for p in asked} == {("1764780000", "1764780600", "5")}
    assert sorted("orderflow_order_seconds_bucket" in p["query"] for p in asked) == [
        False,
        True,
        True,
    ]
