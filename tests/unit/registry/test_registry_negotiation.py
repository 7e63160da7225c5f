"""Media types over HTTP in memory: answers follow Accept, 406 and 415 as Confluent's."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from confluent_kafka.schema_registry import Schema, SchemaRegistryClient
from fastapi.testclient import TestClient

from orderflow.registry.app import create_app
from orderflow.registry.log import MemoryLog
from orderflow.registry.media import JSON, SCHEMAREGISTRY, V1
from orderflow.settings import Settings

ORDER = json.dumps(
    {"type": "record", "name": "Order", "fields": [{"name": "id", "type": "string"}]}
)
BODY = json.dumps({"schema": ORDER})

# Byte for byte what confluent-kafka 2.16's RestClient sends
# (schema_registry/_sync/schema_registry_client.py, send_request): this Accept
# without a body; with one, these headers instead, and httpx's "Accept: */*".
PYTHON_CLIENT_GET = {
    "Accept": "application/vnd.schemaregistry.v1+json,"
    " application/vnd.schemaregistry+json,"
    " application/json",
    "Confluent-Client-Version": "python/2.16.1",
}
PYTHON_CLIENT_POST = {
    "Accept": "*/*",
    "Content-Length": str(len(BODY)),
    "Content-Type": "application/vnd.schemaregistry.v1+json",
    "Confluent-Accept-Unknown-Properties": "true",
    "Confluent-Client-Version": "python/2.16.1",
}
# The Java client (Connect's AvroConverter) sets a Content-Type and no Accept,
# so the JDK's HttpURLConnection sends its own.
JAVA_CLIENT = {
    "Accept": "text/html, image/gif, image/jpeg, *; q=.2, */*; q=.2",
    "Content-Type": "application/vnd.schemaregistry.v1+json",
}


@pytest.fixture
def client() -> Iterator[TestClient]:
    with TestClient(create_app(Settings(), MemoryLog())) as test_client:
        yield test_client


def register(client: TestClient, **headers: str) -> Any:
    return client.post("/subjects/s/versions", content=BODY, headers=headers)


def error(response: Any) -> tuple[int, int]:
    assert set(response.json()) == {"error_code", "message"}
    return response.status_code, response.json()["error_code"]


@pytest.mark.parametrize(
    ("accept", "answered_in"),
    [
        ("*/*", V1),
        (V1, V1),
        (SCHEMAREGISTRY, SCHEMAREGISTRY),
        (JSON, JSON),
        (f"{JSON}, {SCHEMAREGISTRY};q=0.5", JSON),
        ("text/html, application/*;q=0.5", V1),
    ],
)
@pytest.mark.parametrize(
    "url",
    [
        "/subjects",
        "/subjects/s/versions/1",
        "/schemas/ids/1",
        "/subjects/s/versions/1/schema",
        "/schemas/ids/1/schema",
        "/config",
        "/",
        "/subjects/missing/versions",
        "/no/such/route",
    ],
)
def test_every_answer_and_error_is_in_the_accepted_type(
    client: TestClient, accept: str, answered_in: str, url: str
) -> None:
    register(client)
    response = client.get(url, headers={"Accept": accept})
    assert response.headers["content-type"] == answered_in
    assert response.json() is not None


@pytest.mark.parametrize("accept", [None, ""])
def test_no_accept_header_is_answered_in_v1(client: TestClient, accept: str | None) -> None:
    del client.headers["accept"]  # httpx's default, */*
    response = client.get("/subjects", headers={} if accept is None else {"Accept": accept})
    assert response.request.headers.get("accept") == accept
    assert (response.status_code, response.headers["content-type"]) == (200, V1)


def test_an_accept_naming_none_of_the_three_gets_406(client: TestClient) -> None:
    response = client.get("/subjects", headers={"Accept": "text/html"})
    assert error(response) == (406, 406)
    assert response.json()["message"] == "HTTP 406 Not Acceptable"
    assert response.headers["content-type"] == V1


def test_a_write_refused_with_406_is_not_performed(client: TestClient) -> None:
    assert error(register(client, Accept="application/xml")) == (406, 406)
    assert client.get("/subjects").json() == []


@pytest.mark.parametrize(
    "content_type", ["text/plain", "application/x-www-form-urlencoded", "application/xml"]
)
def test_a_body_of_another_type_gets_415_and_is_not_read(
    client: TestClient, content_type: str
) -> None:
    response = register(client, **{"Content-Type": content_type})
    assert error(response) == (415, 415)
    assert response.json()["message"] == "HTTP 415 Unsupported Media Type"
    assert client.get("/subjects").json() == []


def test_415_is_answered_in_the_accepted_type_and_wins_over_406(client: TestClient) -> None:
    labelled = register(client, **{"Content-Type": "text/plain", "Accept": JSON})
    assert (labelled.status_code, labelled.headers["content-type"]) == (415, JSON)
    both_wrong = register(client, **{"Content-Type": "text/plain", "Accept": "text/html"})
    assert error(both_wrong) == (415, 415)


@pytest.mark.parametrize(
    "content_type", [None, "application/octet-stream", f"{JSON}; charset=utf-8"]
)
def test_unlabelled_and_octet_stream_bodies_are_read_as_json(
    client: TestClient, content_type: str | None
) -> None:
    headers = {} if content_type is None else {"Content-Type": content_type}
    response = client.post("/subjects/s/versions", content=BODY, headers=headers)
    assert response.json() == {"id": 1}


def test_routing_answers_before_negotiation(client: TestClient) -> None:
    assert error(client.get("/no/such/route", headers={"Accept": "text/html"})) == (404, 404)
    wrong_method = client.patch("/config", content=b"x", headers={"Content-Type": "text/plain"})
    assert error(wrong_method) == (405, 405)


def test_health_and_metrics_keep_their_own_types(client: TestClient) -> None:
    health = client.get("/healthz", headers={"Accept": "text/plain"})
    assert (health.status_code, health.headers["content-type"]) == (200, "application/json")
    metrics = client.get("/metrics", headers={"Accept": "text/plain"})
    assert metrics.status_code == 200
    assert metrics.headers["content-type"].startswith("text/plain")


def test_the_python_clients_exact_headers_are_served_in_v1(client: TestClient) -> None:
    posted = client.post("/subjects/s/versions", content=BODY, headers=PYTHON_CLIENT_POST)
    assert (posted.json(), posted.headers["content-type"]) == ({"id": 1}, V1)
    fetched = client.get("/schemas/ids/1", headers=PYTHON_CLIENT_GET)
    assert (fetched.status_code, fetched.headers["content-type"]) == (200, V1)


def test_the_java_clients_headers_are_served_in_v1(client: TestClient) -> None:
    posted = client.post("/subjects/s/versions", content=BODY, headers=JAVA_CLIENT)
    assert (posted.json(), posted.headers["content-type"]) == ({"id": 1}, V1)
    fetched = client.get("/schemas/ids/1", headers=JAVA_CLIENT)
    assert (fetched.status_code, fetched.headers["content-type"]) == (200, V1)


def test_the_confluent_client_itself_round_trips(client: TestClient) -> None:
    # The real client builds its own headers; its HTTP session is swapped for the
    # in-memory app (a private attribute: the integration suite covers a socket).
    registry = SchemaRegistryClient({"url": str(client.base_url)})
    registry._rest_client.session.close()
    registry._rest_client.session = client
    schema_id = registry.register_schema("s-value", Schema(ORDER, "AVRO"))
    fetched = registry.get_schema(schema_id).schema_str
    assert fetched is not None
    assert json.loads(fetched) == json.loads(ORDER)
    assert registry.get_latest_version("s-value").schema_id == schema_id
    assert registry.lookup_schema("s-value", Schema(ORDER, "AVRO")).version == 1
