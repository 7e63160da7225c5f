"""Bad requests over real HTTP get Confluent's status and error_code, never a 500."""

from __future__ import annotations

import json

import httpx
import pytest

from orderflow.settings import Settings

pytestmark = pytest.mark.stack

HEADERS = {"Content-Type": "application/vnd.schemaregistry.v1+json"}


@pytest.mark.parametrize(
    ("method", "path", "payload", "status", "code"),
    [
        ("POST", "/subjects/{s}/versions", "{not json", 400, 400),
        ("POST", "/subjects/{s}/versions", '{"schema": "{\\"type\\": \\"recrod\\"}"}', 422, 42201),
        (
            "POST",
            "/subjects/{s}/versions",
            '{"schema": "{}", "schemaType": "PROTOBUF"}',
            422,
            42201,
        ),
        ("POST", "/subjects/{s}/versions", '{"nothing": 1}', 422, 42201),
        ("GET", "/subjects/{s}/versions", None, 404, 40401),
        ("GET", "/subjects/{s}/versions/1", None, 404, 40401),
        ("GET", "/subjects/{s}/versions/latest/schema", None, 404, 40401),
        ("GET", "/subjects/{s}/versions/one", None, 422, 42202),
        ("GET", "/schemas/ids/987654321", None, 404, 40403),
        ("PUT", "/config/{s}", '{"compatibility": "BACKWARDS"}', 422, 42203),
        ("PUT", "/mode/{s}", '{"mode": "READMOSTLY"}', 422, 42204),
        ("DELETE", "/subjects/{s}", None, 404, 40401),
        ("DELETE", "/subjects/{s}/versions/1", None, 404, 40401),
    ],
)
def test_bad_input(
    registry_url: str,
    subject: str,
    method: str,
    path: str,
    payload: str | None,
    status: int,
    code: int,
) -> None:
    response = httpx.request(
        method, registry_url + path.format(s=subject), content=payload, headers=HEADERS
    )
    assert response.status_code == status
    assert response.json()["error_code"] == code
    assert response.json()["message"]


def test_unknown_version_of_a_known_subject(registry_url: str, subject: str) -> None:
    body = '{"schema": "\\"string\\""}'
    httpx.post(f"{registry_url}/subjects/{subject}/versions", content=body, headers=HEADERS)
    response = httpx.get(f"{registry_url}/subjects/{subject}/versions/7")
    assert (response.status_code, response.json()["error_code"]) == (404, 40402)


def _record_with_doc(doc_bytes: int) -> str:
    return json.dumps({"type": "record", "name": "Big", "doc": "d" * doc_bytes, "fields": []})


def test_hostile_bodies_are_refused_and_the_registry_goes_on(
    registry_url: str, subject: str
) -> None:
    limit = Settings().registry_body_limit_bytes
    too_big = httpx.post(
        f"{registry_url}/subjects/{subject}/versions",
        json={"schema": _record_with_doc(limit)},
        headers=HEADERS,
    )
    deep = httpx.post(
        f"{registry_url}/subjects/{subject}/versions",
        json={"schema": '{"type":"array","items":' * 5000 + '"int"' + "}" * 5000},
        headers=HEADERS,
    )
    # Just under the limit: valid, and its record must fit in one Kafka message.
    largest = httpx.post(
        f"{registry_url}/subjects/{subject}/versions",
        json={"schema": _record_with_doc(limit - 1024)},
        headers=HEADERS,
        timeout=30,
    )

    assert (too_big.status_code, too_big.json()["error_code"]) == (413, 413)
    assert (deep.status_code, deep.json()["error_code"]) == (422, 42201)
    assert largest.status_code == 200, largest.text
    assert httpx.get(f"{registry_url}/subjects/{subject}/versions").json() == [1]
