"""The HTTP API in memory: routes, status codes and Confluent's error bodies."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from orderflow.registry.app import create_app
from orderflow.registry.log import MemoryLog
from orderflow.settings import Settings


def record(name: str, *fields: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {"type": "record", "name": name, "fields": list(fields), **extra}


def field(name: str, type_: Any, **extra: Any) -> dict[str, Any]:
    return {"name": name, "type": type_, **extra}


def text(schema: Any) -> str:
    return json.dumps(schema)


V1 = record("Order", field("id", "string"))
V2 = record("Order", field("id", "string"), field("n", "int", default=0))
MEDIA = "application/vnd.schemaregistry.v1+json"


@pytest.fixture
def client() -> Iterator[TestClient]:
    with TestClient(create_app(Settings(), MemoryLog())) as test_client:
        yield test_client


def body(schema: Any, **extra: Any) -> dict[str, Any]:
    return {"schema": json.dumps(schema), **extra}


def error(response: Any) -> tuple[int, int]:
    assert set(response.json()) == {"error_code", "message"}
    return response.status_code, response.json()["error_code"]


@pytest.mark.parametrize(
    "content_type", [MEDIA, "application/vnd.schemaregistry+json", "application/json"]
)
def test_register_accepts_the_three_media_types(client: TestClient, content_type: str) -> None:
    response = client.post(
        "/subjects/s/versions", content=json.dumps(body(V1)), headers={"Content-Type": content_type}
    )
    assert response.status_code == 200
    assert response.json() == {"id": 1}
    assert response.headers["content-type"] == MEDIA


def test_reads_after_register(client: TestClient) -> None:
    client.post("/subjects/s/versions", json=body(V1))
    client.post("/subjects/s/versions", json=body(V2))
    assert client.get("/subjects").json() == ["s"]
    assert client.get("/subjects/s/versions").json() == [1, 2]
    latest = client.get("/subjects/s/versions/latest").json()
    assert latest == {
        "subject": "s",
        "version": 2,
        "id": 2,
        "schema": json.dumps(V2, separators=(",", ":")),
    }
    assert client.get("/subjects/s/versions/1/schema").json() == V1
    assert client.get("/schemas/ids/1").json() == {"schema": json.dumps(V1, separators=(",", ":"))}
    assert client.get("/schemas/ids/1", params={"subject": "s"}).status_code == 200
    assert client.get("/schemas/ids/2/versions").json() == [{"subject": "s", "version": 2}]
    assert client.get("/schemas/ids/2/subjects").json() == ["s"]
    assert client.get("/schemas/types").json() == ["AVRO"]
    found = client.post("/subjects/s", json={"schema": json.dumps(V1, indent=3)}).json()
    assert (found["id"], found["version"]) == (1, 1)


def test_delete_flow_over_http(client: TestClient) -> None:
    client.post("/subjects/s/versions", json=body(V1))
    assert error(client.delete("/subjects/s", params={"permanent": "true"})) == (404, 40405)
    assert client.delete("/subjects/s").json() == [1]
    assert error(client.get("/subjects/s/versions")) == (404, 40401)
    assert client.get("/subjects/s/versions", params={"deleted": "true"}).json() == [1]
    assert client.get("/subjects", params={"deleted": "true"}).json() == ["s"]
    assert error(client.delete("/subjects/s")) == (404, 40404)
    assert client.delete("/subjects/s", params={"permanent": "true"}).json() == [1]
    assert error(client.get("/schemas/ids/1")) == (404, 40403)


def test_config_endpoints(client: TestClient) -> None:
    assert client.get("/config").json() == {"compatibilityLevel": "BACKWARD"}
    assert client.put("/config", json={"compatibility": "full"}).json() == {"compatibility": "FULL"}
    assert error(client.get("/config/s")) == (404, 40408)
    assert client.get("/config/s", params={"defaultToGlobal": "true"}).json() == {
        "compatibilityLevel": "FULL"
    }
    assert client.put("/config/s", json={"compatibilityLevel": "NONE"}).status_code == 200
    assert client.get("/config/s").json() == {"compatibilityLevel": "NONE"}
    assert client.delete("/config/s").json() == {"compatibilityLevel": "NONE"}
    assert client.delete("/config").json() == {"compatibilityLevel": "FULL"}
    assert client.get("/config").json() == {"compatibilityLevel": "BACKWARD"}


def test_mode_endpoints(client: TestClient) -> None:
    assert client.get("/mode").json() == {"mode": "READWRITE"}
    assert client.put("/mode/s", json={"mode": "READONLY"}).json() == {"mode": "READONLY"}
    assert error(client.post("/subjects/s/versions", json=body(V1))) == (422, 42205)
    assert client.get("/mode/s").json() == {"mode": "READONLY"}
    assert error(client.get("/mode/t")) == (404, 40409)
    assert client.get("/mode/t", params={"defaultToGlobal": "true"}).json() == {"mode": "READWRITE"}
    assert client.delete("/mode/s").json() == {"mode": "READONLY"}
    assert client.put("/mode", json={"mode": "IMPORT"}).json() == {"mode": "IMPORT"}
    assert client.post("/subjects/s/versions", json=body(V1, id=100, version=3)).json() == {
        "id": 100
    }
    assert error(client.put("/mode", json={"mode": "SIDEWAYS"})) == (422, 42204)


def test_compatibility_endpoint(client: TestClient) -> None:
    breaking = record("Order", field("id", "int"))
    url = "/compatibility/subjects/s/versions/latest"
    assert client.post(url, json=body(breaking)).json() == {"is_compatible": True}
    client.post("/subjects/s/versions", json=body(V1))
    assert client.post(url, json=body(V2)).json() == {"is_compatible": True}
    verbose = client.post(url, json=body(breaking), params={"verbose": "true"}).json()
    assert verbose["is_compatible"] is False
    assert any("TYPE_MISMATCH" in m for m in verbose["messages"])
    assert client.post("/compatibility/subjects/s/versions", json=body(breaking)).json() == {
        "is_compatible": False
    }
    assert error(client.post("/compatibility/subjects/s/versions/9", json=body(V2))) == (404, 40402)
    assert error(client.post("/compatibility/subjects/zz/versions/1", json=body(V2))) == (
        404,
        40401,
    )


@pytest.mark.parametrize(
    ("method", "url", "payload", "expected"),
    [
        ("POST", "/subjects/s/versions", b"{not json", (400, 400)),
        ("POST", "/subjects/s/versions", b"[1]", (422, 422)),
        ("POST", "/subjects/s/versions", b"{}", (422, 42201)),
        ("POST", "/subjects/s/versions", b'{"schema": ""}', (422, 42201)),
        ("POST", "/subjects/s/versions", b'{"schema": "{\\"type\\": \\"bogus\\"}"}', (422, 42201)),
        ("POST", "/subjects/s/versions", b'{"schema": 5}', (422, 42201)),
        ("POST", "/subjects/s/versions", b'{"schema": "{}", "schemaType": "JSON"}', (422, 42201)),
        ("POST", "/subjects/s", b'{"schema": "\\"int\\""}', (404, 40401)),
        ("GET", "/subjects/s/versions/0", None, (422, 42202)),
        ("GET", "/subjects/s/versions/2147483648", None, (422, 42202)),
        ("GET", "/subjects/s/versions/abc", None, (422, 42202)),
        ("GET", "/subjects/missing/versions/1", None, (404, 40401)),
        ("GET", "/schemas/ids/999", None, (404, 40403)),
        ("GET", "/schemas/ids/abc", None, (404, 40403)),
        ("PUT", "/config", b'{"compatibility": "SOMETIMES"}', (422, 42203)),
        ("PUT", "/config", b"{}", (422, 42203)),
        ("GET", "/subjects", None, (200, None)),
        ("GET", "/subjects?deleted=maybe", None, (422, 422)),
        ("GET", "/no/such/route", None, (404, 404)),
        ("PATCH", "/config", None, (405, 405)),
    ],
)
def test_bad_input_gets_confluent_codes_never_500(
    client: TestClient,
    method: str,
    url: str,
    payload: bytes | None,
    expected: tuple[int, int | None],
) -> None:

    response = client.request(method, url, content=payload, headers={"Content-Type": MEDIA})
    if expected[1] is None:
        assert response.status_code == expected[0]
    else:
        assert error(response) == expected


def test_lookup_of_an_unregistered_schema_in_a_known_subject_is_40403(client: TestClient) -> None:
    client.post("/subjects/s/versions", json=body(V1))
    assert error(client.post("/subjects/s", json=body(V2))) == (404, 40403)
