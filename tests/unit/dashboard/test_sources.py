"""What a snapshot reads, against fakes at the I/O edge: Prometheus, each process's
``/readyz`` and Connect behind one httpx.MockTransport, Postgres behind a fake reader."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from datetime import UTC, datetime
from typing import Any, TypeVar

import httpx
import psycopg

from orderflow.dashboard.pipeline import Answer
from orderflow.dashboard.queries import QUERIES
from orderflow.dashboard.snapshot import ONE, Measure, Reading, RecentOrder
from orderflow.dashboard.sources import RecentOrders, Sources, answer_of
from orderflow.services import SERVICES
from orderflow.settings import Settings
from orderflow.stack.connector import ConnectorState
from orderflow.stack.scale import Scale, instance_port

T = TypeVar("T")
SETTINGS = Settings(host="127.0.0.1")
CONNECTOR = "orderflow-outbox"
ORDER = RecentOrder(
    "0190a1b2-0000-7000-8000-000000000001",
    "123",
    ("item1",),
    "Paid",
    datetime(2026, 1, 1, tzinfo=UTC),
    datetime(2026, 1, 1, tzinfo=UTC),
)
READY = {"service": "x", "ready": True, "checks": {"database": "ok"}}
NOT_READY = {
    "service": "payment",
    "ready": False,
    "checks": {"database": "connection refused", "kafka": "ok", "consumer": "no partitions"},
}

Route = Callable[[httpx.Request], httpx.Response]


def run(test: Coroutine[Any, Any, T]) -> T:
    return asyncio.run(asyncio.wait_for(test, timeout=5))


class FakeOrders(RecentOrders):
    def __init__(self, orders: list[RecentOrder] | None) -> None:
        super().__init__("host=nowhere")
        self._orders = orders

    async def read(self) -> list[RecentOrder]:
        if self._orders is None:
            raise psycopg.OperationalError("connection refused")
        return self._orders


def refused(request: httpx.Request) -> httpx.Response:
    raise httpx.ConnectError("connection refused", request=request)


def prometheus_answering(request: httpx.Request) -> httpx.Response:
    """Every query answers one sample; the lag query one per group."""
    if "orderflow_consumer_lag" in request.url.params["query"]:
        result = [{"metric": {"group": "inventory-service"}, "value": [0, "42"]}]
    else:
        result = [{"metric": {}, "value": [0, "1.5"]}]
    return httpx.Response(200, json={"status": "success", "data": {"result": result}})


def system(
    prometheus: Route = prometheus_answering,
    readyz: Route = lambda _r: httpx.Response(200, json=READY),
    connect: Route = lambda _r: httpx.Response(
        200,
        json={"connector": {"state": "RUNNING"}, "tasks": [{"id": 0, "state": "RUNNING"}]},
    ),
) -> Route:
    def route(request: httpx.Request) -> httpx.Response:
        if request.url.port == SETTINGS.prometheus_port:
            return prometheus(request)
        if request.url.port == SETTINGS.connect_port:
            assert request.url.path == f"/connectors/{CONNECTOR}/status"
            return connect(request)
        assert request.url.path == "/readyz"
        return readyz(request)

    return route


def read(
    route: Route, orders: list[RecentOrder] | None = None, scale: Scale | None = None
) -> Reading:
    async def reading() -> Reading:
        async with httpx.AsyncClient(transport=httpx.MockTransport(route)) as client:
            sources = Sources(
                SETTINGS, client, SERVICES, CONNECTOR, FakeOrders(orders), lambda: scale or {}
            )
            return await sources.read()

    return run(reading())


def test_everything_answering_is_read_in_one_go() -> None:
    found = read(system(), orders=[ORDER])

    assert set(found.measured) == set(QUERIES)
    assert found.measured[Measure.LAG] == {"inventory-service": 42.0}
    assert found.measured[Measure.PLACED_RATE] == {ONE: 1.5}
    assert found.answers == {s.name: [Answer(True)] for s in SERVICES}
    assert found.connector == ConnectorState(CONNECTOR, "RUNNING", ("RUNNING",))
    assert found.orders == [ORDER]


def test_each_failing_source_leaves_only_its_own_fields_empty() -> None:
    no_prometheus = read(system(prometheus=refused), orders=[ORDER])
    no_postgres = read(system(), orders=None)

    assert no_prometheus.measured == {}
    assert no_prometheus.orders == [ORDER]
    assert no_prometheus.connector == ConnectorState(CONNECTOR, "RUNNING", ("RUNNING",))
    assert no_postgres.orders is None
    assert set(no_postgres.measured) == set(QUERIES)


def test_a_process_that_does_not_answer_has_no_instance_and_one_not_ready_says_why() -> None:
    def readyz(request: httpx.Request) -> httpx.Response:
        if request.url.port == SETTINGS.payment_port:
            return httpx.Response(503, json=NOT_READY)
        if request.url.port == SETTINGS.shipping_port:
            raise httpx.ConnectError("connection refused", request=request)
        return httpx.Response(200, json=READY)

    answers = read(system(readyz=readyz)).answers

    assert answers["payment"] == [
        Answer(False, "database: connection refused; consumer: no partitions")
    ]
    assert answers["shipping"] == [None]
    assert answers["order"] == [Answer(True)]


def test_each_instance_of_a_scaled_service_is_asked_on_its_own_port() -> None:
    second = instance_port(SETTINGS.inventory_port, 2)

    def readyz(request: httpx.Request) -> httpx.Response:
        if request.url.port == second:
            return httpx.Response(503, json=NOT_READY)
        return httpx.Response(200, json=READY)

    answers = read(system(readyz=readyz), scale={"inventory": 2}).answers

    assert answers["inventory"] == [
        Answer(True),
        Answer(False, "database: connection refused; consumer: no partitions"),
    ]
    assert answers["payment"] == [Answer(True)]


def test_the_connector_not_registered_or_connect_down_is_said_so() -> None:
    missing = read(system(connect=lambda _r: httpx.Response(404, json={"error_code": 404})))
    down = read(system(connect=refused))

    assert missing.connector == f"{CONNECTOR} is not registered in Kafka Connect"
    assert down.connector == "Kafka Connect does not answer"


def test_a_failed_task_s_trace_is_kept() -> None:
    body = {
        "connector": {"state": "RUNNING"},
        "tasks": [{"id": 0, "state": "FAILED", "trace": "org.x.Boom: slot\n\tat y"}],
    }

    found = read(system(connect=lambda _r: httpx.Response(200, json=body))).connector

    assert found == ConnectorState(CONNECTOR, "RUNNING", ("FAILED",), "org.x.Boom: slot\n\tat y")


def test_a_readyz_answer_that_is_not_its_json_is_not_ready_naming_the_status() -> None:
    assert answer_of(503, None) == Answer(False, "/readyz answered 503")
    assert answer_of(500, {"detail": "boom"}) == Answer(False, "/readyz answered 500")
    assert answer_of(200, None) == Answer(True)
