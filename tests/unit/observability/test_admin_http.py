"""A worker's health port: health_answer's routes, and serve_health answering a real GET."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator

import httpx
import pytest
from prometheus_client import CONTENT_TYPE_LATEST
from prometheus_client.parser import text_string_to_metric_families

from orderflow.observability.admin_http import health_answer, serve_health
from orderflow.observability.metrics import EVENTS
from orderflow.observability.readiness import Check, Readiness
from orderflow.stack.ports import free_ports


def ready() -> Readiness:
    return Readiness("inventory", [Check("database", lambda: None)])


def not_ready() -> Readiness:
    return Readiness(
        "inventory", [Check("database", lambda: None), Check("kafka", lambda: "broker down")]
    )


def test_metrics_serves_the_registry_in_prometheus_text_format() -> None:
    service = f"svc-{uuid.uuid4().hex}"
    EVENTS.labels(service, "OrderEventsTopic", "OrderCreated", "handled").inc(3)

    status, content_type, body = health_answer("/metrics", ready())

    assert status == 200
    assert content_type == CONTENT_TYPE_LATEST
    samples = [
        s
        for family in text_string_to_metric_families(body.decode())
        if family.name == "orderflow_events"
        for s in family.samples
        if s.labels.get("service") == service
    ]
    assert [(s.name, s.labels["outcome"], s.value) for s in samples] == [
        ("orderflow_events_total", "handled", 3.0)
    ]


def test_metrics_ignores_a_query_string() -> None:
    status, content_type, _ = health_answer("/metrics?name[]=orderflow_events", ready())

    assert (status, content_type) == (200, CONTENT_TYPE_LATEST)


def test_healthz_is_alive_even_when_not_ready() -> None:
    status, content_type, body = health_answer("/healthz", not_ready())

    assert (status, content_type) == (200, "application/json")
    assert json.loads(body) == {"service": "inventory", "alive": True}


def test_readyz_is_200_when_every_check_passes() -> None:
    status, content_type, body = health_answer("/readyz", ready())

    assert (status, content_type) == (200, "application/json")
    assert json.loads(body) == {"service": "inventory", "ready": True, "checks": {"database": "ok"}}


def test_readyz_is_503_naming_the_failing_check() -> None:
    status, content_type, body = health_answer("/readyz", not_ready())

    assert (status, content_type) == (503, "application/json")
    assert json.loads(body) == {
        "service": "inventory",
        "ready": False,
        "checks": {"database": "ok", "kafka": "broker down"},
    }


@pytest.mark.parametrize("path", ["/", "/ready", "/metrics/extra", "/healthz/"])
def test_an_unknown_path_is_404_with_a_json_error(path: str) -> None:
    status, content_type, body = health_answer(path, ready())

    assert (status, content_type) == (404, "application/json")
    answer = json.loads(body)
    assert answer["error"] == "not_found"
    assert path in answer["message"]


@pytest.fixture
def health_port() -> Iterator[int]:
    port = free_ports(1)[0]
    server = serve_health("127.0.0.1", port, not_ready())
    try:
        yield port
    finally:
        server.shutdown()
        server.server_close()


def test_serve_health_answers_a_real_get(health_port: int) -> None:
    with httpx.Client(base_url=f"http://127.0.0.1:{health_port}", trust_env=False) as client:
        readyz = client.get("/readyz")
        healthz = client.get("/healthz")
        metrics = client.get("/metrics")
        unknown = client.get("/nowhere")

    assert readyz.status_code == 503
    assert readyz.headers["content-type"] == "application/json"
    assert readyz.json()["checks"] == {"database": "ok", "kafka": "broker down"}
    assert healthz.status_code == 200
    assert healthz.json() == {"service": "inventory", "alive": True}
    assert metrics.status_code == 200
    assert metrics.headers["content-type"] == CONTENT_TYPE_LATEST
    assert int(metrics.headers["content-length"]) == len(metrics.content)
    assert any(f.name == "orderflow_events" for f in text_string_to_metric_families(metrics.text))
    assert unknown.status_code == 404
    assert unknown.json()["error"] == "not_found"


def test_serve_health_stops_answering_after_shutdown() -> None:
    port = free_ports(1)[0]
    server = serve_health("127.0.0.1", port, ready())
    with httpx.Client(trust_env=False) as client:
        assert client.get(f"http://127.0.0.1:{port}/healthz").status_code == 200

        server.shutdown()
        server.server_close()

        with pytest.raises(httpx.ConnectError):
            client.get(f"http://127.0.0.1:{port}/healthz")


def test_serve_health_on_a_taken_port_raises(health_port: int) -> None:
    with pytest.raises(OSError, match="in use"):
        serve_health("127.0.0.1", health_port, ready())
