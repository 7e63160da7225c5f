"""``/api/live`` and ``/api/history`` on the real stack: the router served by uvicorn on
a free port, reading the stack's own Prometheus, Kafka Connect and Postgres.

The four services need not run: their nodes are drawn from the declarations
whether they answer or not (when the e2e tests' services share the session's
stack, they answer). An order is written straight into ``orders.orders``, so
that the feed has one this test knows.
"""

from __future__ import annotations

import json
import threading
import time
import uuid
from collections.abc import Callable, Generator, Iterator
from contextlib import closing
from datetime import UTC, datetime
from typing import Any

import httpx
import psycopg
import pytest
import uvicorn
from fastapi import FastAPI

from orderflow.dashboard.live import live_router
from orderflow.events.ids import time_ordered_id
from orderflow.events.topics import ALL_TOPICS
from orderflow.settings import Settings
from orderflow.stack.ports import free_ports

pytestmark = pytest.mark.stack


@pytest.fixture(scope="module")
def dashboard(stack: Settings) -> Iterator[str]:
    """The base URL of the live router, served for real until the module's tests end."""
    app = FastAPI()
    app.include_router(live_router(stack))
    (port,) = free_ports(1)
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, name="dashboard", daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert thread.is_alive(), "uvicorn exited before it served"
        assert time.monotonic() < deadline, "uvicorn did not start within 30 s"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=30)


def place_order(settings: Settings) -> str:
    order_id = time_ordered_id()
    now = datetime.now(UTC)
    with psycopg.connect(settings.postgres_dsn) as conn:
        conn.execute(
            "INSERT INTO orders.orders (order_id, user_id, items, total_cents, status,"
            " created_at, updated_at) VALUES (%s, %s, %s, %s, %s, %s, %s)",
            (order_id, f"dashboard-{uuid.uuid4().hex[:8]}", ["item1"], 1250, "Order Created",
             now, now),
        )  # fmt: skip
    return order_id


def snapshots(base_url: str, timeout_s: float) -> Generator[dict[str, Any], None, None]:
    """The snapshots of ``/api/live`` as they come, for at most ``timeout_s``."""
    with (
        httpx.Client(base_url=base_url, timeout=timeout_s) as client,
        client.stream("GET", "/api/live") as answer,
    ):
        assert answer.status_code == 200
        assert answer.headers["content-type"].startswith("text/event-stream")
        event = None
        for line in answer.iter_lines():
            if line.startswith("event: "):
                event = line.removeprefix("event: ")
            elif line.startswith("data: ") and event == "snapshot":
                yield json.loads(line.removeprefix("data: "))


def first_snapshot_where(
    base_url: str, holds: Callable[[dict[str, Any]], bool], timeout_s: float = 30
) -> dict[str, Any]:
    deadline = time.monotonic() + timeout_s
    with closing(snapshots(base_url, timeout_s * 2)) as stream:
        for seen in stream:
            if holds(seen):
                return seen
            assert time.monotonic() < deadline, f"no such snapshot in {timeout_s} s: {seen}"
    raise AssertionError("the stream ended")


def test_the_first_snapshot_draws_the_pipeline_with_the_connector_running_and_the_orders(
    stack: Settings, dashboard: str
) -> None:
    order_id = place_order(stack)

    def running_with_the_order(seen: dict[str, Any]) -> bool:
        connector = {n["id"]: n for n in seen["nodes"]}["connector"]
        orders = [o["orderId"] for o in seen["orders"] or []]
        # The first snapshot comes at once; the connector may still be starting its task.
        return connector["state"] == "RUNNING" and order_id in orders

    seen = first_snapshot_where(dashboard, running_with_the_order)

    nodes = {node["id"]: node for node in seen["nodes"]}
    expected = {"order", "outbox", "connector", *ALL_TOPICS}
    assert expected | {"inventory", "shipping", "payment", "status"} == set(nodes)
    assert nodes["connector"]["alert"] is False
    assert {"from": "outbox", "to": "connector"} in seen["edges"]
    assert seen["refreshSeconds"] == stack.dashboard_refresh_s
    assert seen["deadLetters"] is not None  # Kafka answered
    for node in ("inventory", "shipping", "payment", "order"):
        assert nodes[node]["instances"] in (0, 1), nodes[node]
        if nodes[node]["instances"] == 0:
            assert (nodes[node]["ready"], nodes[node]["alert"]) == (False, True), nodes[node]
    [mine] = [o for o in seen["orders"] if o["orderId"] == order_id]
    assert (mine["status"], mine["items"]) == ("Order Created", ["item1"])


def test_history_answers_from_the_stack_s_prometheus(dashboard: str) -> None:
    answer = httpx.get(f"{dashboard}/api/history", params={"minutes": 5}, timeout=10)

    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["stepSeconds"] == 5
    assert {"completedPerSecond", "p50Ms", "p99Ms"} <= set(body)
    assert httpx.get(f"{dashboard}/api/history?minutes=0", timeout=10).status_code == 422
