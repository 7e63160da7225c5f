"""Hostile schemas and bodies over HTTP: Confluent's error codes, bounded work, and the
registry still answers afterwards."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from orderflow.registry.app import create_app
from orderflow.registry.log import MemoryLog
from orderflow.settings import Settings

LIMIT = 64 * 1024


@pytest.fixture
def client() -> Iterator[TestClient]:
    app = create_app(Settings(registry_body_limit_bytes=LIMIT), MemoryLog())
    with TestClient(app, raise_server_exceptions=False) as test_client:
        yield test_client


def nested_records(depth: int) -> str:
    heads = "".join(
        f'{{"type":"record","name":"R{i}","fields":[{{"name":"f","type":' for i in range(depth)
    )
    return heads + '"int"' + "}]}" * depth


def nested_arrays(depth: int) -> str:
    return '{"type":"array","items":' * depth + '"int"' + "}" * depth


def record(name: str, *fields: object, **extra: object) -> str:
    return json.dumps({"type": "record", "name": name, "fields": list(fields), **extra})


HOSTILE = {
    "records nested 400 deep": nested_records(400),
    "arrays nested 2000 deep": nested_arrays(2000),
    "a name that is not an Avro name": record("a-b"),
    "a namespace starting with a digit": record("A", namespace="1bad"),
    "an enum default not among its symbols": json.dumps(
        {"type": "enum", "name": "E", "symbols": ["A"], "default": "B"}
    ),
    "a map default of the wrong type": record(
        "M", {"name": "m", "type": {"type": "map", "values": "int"}, "default": {"a": "x"}}
    ),
    "a nested record default of the wrong type": record(
        "O",
        {
            "name": "r",
            "type": json.loads(record("I", {"name": "x", "type": "int"})),
            "default": {"x": "no"},
        },
    ),
    "a fixed of negative size": json.dumps({"type": "fixed", "name": "F", "size": -1}),
    "a union inside a union": json.dumps([["int"]]),
    "null": "null",
}


def alive(client: TestClient) -> None:
    valid = {"schema": record("Alive", {"name": "a", "type": "int"})}
    assert client.post("/subjects/alive-value/versions", json=valid).status_code == 200
    assert client.get("/subjects").status_code == 200


@pytest.mark.parametrize("schema", list(HOSTILE.values()), ids=list(HOSTILE))
def test_hostile_schemas_are_42201_and_the_registry_goes_on(
    client: TestClient, schema: str
) -> None:
    response = client.post("/subjects/s-value/versions", json={"schema": schema})

    assert (response.status_code, response.json()["error_code"]) == (422, 42201)
    assert response.json()["message"].startswith("Invalid schema: ")
    assert len(response.json()["message"]) < 1000
    alive(client)


@pytest.mark.parametrize(
    "schema",
    [
        record("N" * LIMIT),
        record("D", doc="d" * LIMIT),
        record("W", *({"name": f"f{i}", "type": "int"} for i in range(LIMIT // 16))),
    ],
    ids=["huge name", "huge doc", "huge field count"],
)
def test_a_body_over_the_limit_is_413_before_it_is_parsed(client: TestClient, schema: str) -> None:
    response = client.post("/subjects/s-value/versions", json={"schema": schema})

    assert (response.status_code, response.json()["error_code"]) == (413, 413)
    assert str(LIMIT) in response.json()["message"]
    alive(client)


def test_a_chunked_body_cannot_hide_its_size(client: TestClient) -> None:
    def chunks() -> Iterator[bytes]:
        yield b'{"schema": "'
        for _ in range(LIMIT // 1024 + 1):
            yield b"x" * 1024
        yield b'"}'

    response = client.post("/subjects/s-value/versions", content=chunks())

    assert (response.status_code, response.json()["error_code"]) == (413, 413)
    alive(client)


@pytest.mark.parametrize(
    "schema", [nested_records(400), nested_arrays(2000)], ids=["records", "arrays"]
)
def test_deep_nesting_is_named(client: TestClient, schema: str) -> None:
    response = client.post("/subjects/s-value/versions", json={"schema": schema})

    assert "nests too deeply" in response.json()["message"]


def test_a_huge_name_within_the_limit_is_valid_avro(client: TestClient) -> None:
    # Avro and Confluent set no length on names; the body limit is the bound.
    response = client.post("/subjects/s-value/versions", json={"schema": record("N" * 10_000)})

    assert response.status_code == 200
