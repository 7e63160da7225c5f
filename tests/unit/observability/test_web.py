"""install_health and HttpObserver on a tiny FastAPI app, through Starlette's TestClient."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY
from prometheus_client.parser import text_string_to_metric_families

from orderflow.observability.readiness import Check, Readiness
from orderflow.observability.web import HttpObserver, install_health


def requests(service: str, route: str, status: int, method: str = "GET") -> float | None:
    return REGISTRY.get_sample_value(
        "orderflow_http_requests_total",
        {"service": service, "route": route, "method": method, "status": str(status)},
    )


def timed(service: str, route: str, method: str = "GET") -> float | None:
    return REGISTRY.get_sample_value(
        "orderflow_http_request_seconds_count",
        {"service": service, "route": route, "method": method},
    )


def routes_of(service: str) -> set[str]:
    return {
        s.labels["route"]
        for family in REGISTRY.collect()
        if family.name == "orderflow_http_requests"
        for s in family.samples
        if s.labels.get("service") == service
    }


def tiny_app(service: str, readiness: Readiness) -> FastAPI:
    app = FastAPI()

    @app.get("/things/{thing_id}")
    async def thing(thing_id: str) -> dict[str, str]:
        return {"id": thing_id}

    @app.post("/things")
    async def add_thing() -> dict[str, str]:
        return {"id": "new"}

    @app.get("/boom")
    async def boom() -> None:
        raise RuntimeError("the handler failed")

    install_health(app, readiness)
    app.add_middleware(HttpObserver, service=service)
    return app


@pytest.fixture
def service() -> str:
    return f"web-{uuid.uuid4().hex}"


@pytest.fixture
def client(service: str) -> Iterator[TestClient]:
    readiness = Readiness(
        service, [Check("database", lambda: "connection refused"), Check("kafka", lambda: None)]
    )
    with TestClient(tiny_app(service, readiness), raise_server_exceptions=False) as client:
        yield client


def test_requests_are_counted_by_route_template(client: TestClient, service: str) -> None:
    assert client.get("/things/1").status_code == 200
    assert client.get("/things/2").status_code == 200
    assert client.post("/things").status_code == 200

    assert requests(service, "/things/{thing_id}", 200) == 2
    assert requests(service, "/things", 200, method="POST") == 1
    assert routes_of(service) == {"/things/{thing_id}", "/things"}


def test_unmatched_paths_are_one_series(client: TestClient, service: str) -> None:
    assert client.get("/nothing/here").status_code == 404
    assert client.get("/orders/123").status_code == 404

    assert requests(service, "unmatched", 404) == 2
    assert routes_of(service) == {"unmatched"}


def test_a_failing_route_is_counted_as_500(client: TestClient, service: str) -> None:
    assert client.get("/boom").status_code == 500

    assert requests(service, "/boom", 500) == 1
    assert requests(service, "/boom", 200) is None


def test_the_duration_histogram_counts_each_request(client: TestClient, service: str) -> None:
    client.get("/things/1")
    client.get("/things/2")
    client.get("/boom")

    assert timed(service, "/things/{thing_id}") == 2
    assert timed(service, "/boom") == 1
    total = REGISTRY.get_sample_value(
        "orderflow_http_request_seconds_sum",
        {"service": service, "route": "/things/{thing_id}", "method": "GET"},
    )
    assert total is not None
    assert total > 0


def test_readyz_is_503_naming_the_failing_check(client: TestClient, service: str) -> None:
    answer = client.get("/readyz")

    assert answer.status_code == 503
    assert answer.json() == {
        "service": service,
        "ready": False,
        "checks": {"database": "connection refused", "kafka": "ok"},
    }
    assert requests(service, "/readyz", 503) == 1


def test_readyz_is_200_when_ready(service: str) -> None:
    readiness = Readiness(service, [Check("database", lambda: None)])
    with TestClient(tiny_app(service, readiness)) as client:
        answer = client.get("/readyz")

    assert answer.status_code == 200
    assert answer.json() == {"service": service, "ready": True, "checks": {"database": "ok"}}


def test_healthz_is_alive_while_not_ready(client: TestClient, service: str) -> None:
    answer = client.get("/healthz")

    assert answer.status_code == 200
    assert answer.json() == {"service": service, "alive": True}


def test_metrics_serves_the_http_metrics_just_counted(client: TestClient, service: str) -> None:
    client.get("/things/7")

    answer = client.get("/metrics")

    assert answer.status_code == 200
    assert answer.headers["content-type"] == CONTENT_TYPE_LATEST
    counted = [
        s
        for family in text_string_to_metric_families(answer.text)
        if family.name == "orderflow_http_requests"
        for s in family.samples
        if s.labels.get("service") == service
    ]
    assert [(s.labels["route"], s.labels["status"], s.value) for s in counted] == [
        ("/things/{thing_id}", "200", 1.0)
    ]


def test_the_health_routes_stay_out_of_the_openapi_document(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]

    assert "/things/{thing_id}" in paths
    assert not {"/healthz", "/readyz", "/metrics"} & set(paths)
