"""The dashboard's REST routes on the real system: create_app served by uvicorn on a free
port, in front of the session stack and the four services.

The services are the e2e tests' when they already answer on the stack's ports
(the session shares one stack, and ``system`` stays up once started); else
this module starts its own four, as `orderflow run <name>` would, and stops
them after. Each test uses users of its own; stock is only ever added to.
"""

from __future__ import annotations

import itertools
import json
import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

import httpx
import psycopg
import pytest
import uvicorn
from confluent_kafka import Producer

from orderflow.access import kafka_access
from orderflow.dashboard.app import create_app
from orderflow.dashboard.dead_letters import letters_kept
from orderflow.events.ids import UserId
from orderflow.events.topics import ALL_TOPICS, ORDER_EVENTS
from orderflow.messaging.deadletters import DEAD_LETTER_TOPIC
from orderflow.services import SERVICES
from orderflow.services.order.status import TERMINAL
from orderflow.services.payment.accounts import balance_of
from orderflow.settings import Settings
from orderflow.stack.ports import free_ports
from orderflow.stack.probes import answers_ok
from orderflow.tools.broker import Broker
from orderflow.tools.dead_letters_topic import KafkaLetters

pytestmark = pytest.mark.stack

T = TypeVar("T")
TIMEOUT_S = 120.0


def wait_for(what: str, probe: Callable[[], T | None], timeout_s: float = TIMEOUT_S) -> T:
    deadline = time.monotonic() + timeout_s
    while (found := probe()) is None:
        assert time.monotonic() < deadline, f"timed out after {timeout_s:.0f} s waiting for {what}"
        time.sleep(0.2)
    return found


def _ready(settings: Settings) -> bool:
    return all(answers_ok(f"http://{settings.host}:{s.port(settings)}/readyz") for s in SERVICES)


@pytest.fixture(scope="module")
def services(stack: Settings, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Settings]:
    """The four services on the stack, ready: the e2e tests' if they answer, else our own."""
    if _ready(stack):
        yield stack
        return
    logs: Path = tmp_path_factory.mktemp("dashboard-services")
    env = {**os.environ, **stack.as_env()}
    started = []
    for service in SERVICES:
        with (logs / f"{service.name}.log").open("ab") as log:
            started.append(
                subprocess.Popen(
                    [sys.executable, "-m", "orderflow", "run", service.name],
                    env=env,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                )
            )
    try:
        wait_for(f"the four services to be ready (logs in {logs})", lambda: _ready(stack) or None)
        yield stack
    finally:
        for process in started:
            process.send_signal(signal.SIGTERM)
        for process in started:
            process.wait(timeout=60)


@pytest.fixture(scope="module")
def dashboard(services: Settings) -> Iterator[httpx.Client]:
    """A client of create_app, served for real (lifespan and all) until the module ends."""
    (port,) = free_ports(1)
    config = uvicorn.Config(create_app(services), host="127.0.0.1", port=port, log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="dashboard", daemon=True)
    thread.start()
    wait_for("uvicorn to serve the dashboard", lambda: server.started or None, 30)
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30) as client:
            yield client
    finally:
        server.should_exit = True
        thread.join(timeout=30)


def fresh_user() -> str:
    return f"dashboard-{uuid.uuid4().hex[:10]}"


def followed(dashboard: httpx.Client, order_id: str) -> list[str]:
    """The statuses ``/api/orders/{id}/events`` relays, until it ends (at a terminal one)."""
    statuses = []
    with dashboard.stream(
        "GET", f"/api/orders/{order_id}/events", params={"timeout": "90"}, timeout=100
    ) as answer:
        assert answer.status_code == 200
        assert answer.headers["content-type"].startswith("text/event-stream")
        for line in answer.iter_lines():
            if line.startswith("data: "):
                event = json.loads(line.removeprefix("data: "))
                assert event["orderId"] == order_id
                statuses.append(event["status"])
    return statuses


def placed(dashboard: httpx.Client, user: str, items: list[str]) -> str:
    answer = dashboard.post("/api/orders", json={"userId": user, "items": items})
    assert answer.status_code == 201, answer.text
    order_id: str = answer.json()["orderId"]
    assert answer.headers["Location"] == f"/api/orders/{order_id}"
    return order_id


def stock_of(dashboard: httpx.Client) -> dict[str, dict[str, Any]]:
    answer = dashboard.get("/api/stock")
    assert answer.status_code == 200, answer.text
    return {item["itemId"]: item for item in answer.json()["items"]}


def test_the_page_s_health_check(dashboard: httpx.Client) -> None:
    assert dashboard.get("/healthz").json() == {"service": "dashboard", "alive": True}


def test_stock_is_read_and_restocked(dashboard: httpx.Client) -> None:
    before = stock_of(dashboard)
    assert {"item1", "item2", "item3"} <= set(before)
    assert before["item1"]["priceCents"] == 1250
    # Added to, never taken from: other tests of the session count on what there is.
    more = before["item2"]["available"] + 5

    answer = dashboard.put("/api/stock/item2", json={"available": more})

    assert answer.status_code == 200, answer.text
    assert answer.json()["itemId"] == "item2"
    assert answer.json()["available"] == more
    assert stock_of(dashboard)["item2"]["available"] == more


def test_an_order_placed_through_the_dashboard_is_read_back_with_its_hops(
    dashboard: httpx.Client,
) -> None:
    stock = stock_of(dashboard)["item1"]
    if stock["available"] < 1:
        dashboard.put("/api/stock/item1", json={"available": 10})
    order_id = placed(dashboard, fresh_user(), ["item1"])

    statuses = followed(dashboard, order_id)
    answer = dashboard.get(f"/api/orders/{order_id}")

    assert answer.status_code == 200, answer.text
    order = answer.json()
    assert statuses[-1] in TERMINAL
    assert order["status"] == statuses[-1] == "Paid"
    assert (order["orderId"], order["items"], order["totalCents"]) == (order_id, ["item1"], 1250)
    history = sorted(order["history"], key=lambda h: datetime.fromisoformat(h["at"]))
    assert [(h["from"], h["to"]) for h in order["hops"]] == [
        (a["status"], b["status"]) for a, b in itertools.pairwise(history)
    ]
    assert len(order["hops"]) == len(history) - 1 >= 3
    assert all(hop["ms"] >= 0 for hop in order["hops"])


def test_a_user_with_no_money_has_the_order_cancelled(
    dashboard: httpx.Client, services: Settings
) -> None:
    user = fresh_user()

    answer = dashboard.put(f"/api/users/{user}/balance", json={"cents": 0})

    assert (answer.status_code, answer.json()) == (200, {"userId": user, "cents": 0})
    with psycopg.connect(services.postgres_dsn) as conn:
        assert balance_of(conn, UserId(user)) == 0
    order_id = placed(dashboard, user, ["item1"])
    assert followed(dashboard, order_id)[-2:] == ["Payment Failed", "Cancelled"]


def test_a_refused_order_is_the_order_service_s_422(dashboard: httpx.Client) -> None:
    answer = dashboard.post("/api/orders", json={"userId": fresh_user(), "items": ["item9"]})

    assert answer.status_code == 422
    assert answer.json()["field"] == "items[0]"


def test_an_unknown_order_is_a_404(dashboard: httpx.Client) -> None:
    answer = dashboard.get(f"/api/orders/{uuid.uuid4()}")

    assert (answer.status_code, answer.json()["error"]) == (404, "not_found")


def test_every_topic_s_schema_is_listed_with_its_versions(dashboard: httpx.Client) -> None:
    answer = dashboard.get("/api/schemas")

    assert answer.status_code == 200, answer.text
    subjects = {s["subject"]: s["versions"] for s in answer.json()["subjects"]}
    assert {f"{topic}-value" for topic in ALL_TOPICS} <= set(subjects)
    for topic in ALL_TOPICS:
        versions = subjects[f"{topic}-value"]
        assert [v["version"] for v in versions] == sorted(v["version"] for v in versions)
        assert all(isinstance(v["id"], int) for v in versions)
        assert versions[0]["schema"]["type"] == "record"


def test_a_record_nobody_can_decode_is_listed_among_the_dead_letters(
    dashboard: httpx.Client, services: Settings
) -> None:
    key = f"dashboard-poison-{uuid.uuid4().hex[:10]}"
    producer = Producer({"bootstrap.servers": services.kafka_bootstrap})
    producer.produce(ORDER_EVENTS, key=key.encode(), value=b"\x00\x00\x00\x00\x07not avro")
    assert producer.flush(30) == 0

    def listed() -> dict[str, Any] | None:
        answer = dashboard.get("/api/dead-letters")
        assert answer.status_code == 200, answer.text
        assert answer.json()["topic"] == DEAD_LETTER_TOPIC
        ours = [letter for letter in answer.json()["letters"] if letter["key"] == key]
        return ours[0] if ours else None

    letter = wait_for("the poison record's dead letter", listed)
    assert letter["origin_topic"] == ORDER_EVENTS
    assert letter["reason"].startswith("undecodable")
    letters = dashboard.get("/api/dead-letters").json()["letters"]
    assert len(letters) <= 200
    times = [letter["timestamp"] or 0 for letter in letters]
    assert times == sorted(times, reverse=True)  # newest first


def test_the_live_count_of_dead_letters_is_what_the_topic_keeps(services: Settings) -> None:
    broker = Broker(kafka_access(services), 10.0)
    # Read between two counts: another test's dead letter may land in between.
    before = letters_kept(broker, DEAD_LETTER_TOPIC)
    read = len(KafkaLetters(broker, DEAD_LETTER_TOPIC).read())
    after = letters_kept(broker, DEAD_LETTER_TOPIC)
    assert before <= read <= after
    assert letters_kept(broker, f"no-such-topic-{uuid.uuid4().hex[:8]}") == 0
