"""Racing registrations never give one id to two schemas, nor two ids to one."""

from __future__ import annotations

import json
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from orderflow.registry.runners import InProcessRegistry

pytestmark = pytest.mark.stack

HEADERS = {"Content-Type": "application/vnd.schemaregistry.v1+json"}
THREADS = 16


def distinct_schema(n: int) -> str:
    return json.dumps({"type": "record", "name": f"R{n}", "fields": [{"name": "x", "type": "int"}]})


@pytest.fixture
def http() -> Iterator[httpx.Client]:
    """One client shared by all threads (httpx.Client is thread-safe): a client per
    request spends more time building TLS contexts than the registry does answering."""
    with httpx.Client(headers=HEADERS, timeout=30) as client:
        yield client


def register(http: httpx.Client, url: str, subject: str, schema_text: str) -> int:
    response = http.post(f"{url}/subjects/{subject}/versions", json={"schema": schema_text})
    assert response.status_code == 200, response.text
    schema_id: int = response.json()["id"]
    return schema_id


def test_distinct_schemas_from_many_threads_get_distinct_ids(
    http: httpx.Client, registry_url: str, subject: str
) -> None:
    with ThreadPoolExecutor(THREADS) as pool:
        ids = list(
            pool.map(
                lambda n: register(http, registry_url, f"{subject}-{n}", distinct_schema(n)),
                range(48),
            )
        )
    assert len(set(ids)) == len(ids)
    for n, schema_id in enumerate(ids):
        fetched = http.get(f"{registry_url}/schemas/ids/{schema_id}").json()
        assert json.loads(fetched["schema"])["name"] == f"R{n}"


def test_one_schema_from_many_threads_gets_one_id_and_one_version(
    http: httpx.Client, registry_url: str, subject: str
) -> None:
    text = distinct_schema(999)
    with ThreadPoolExecutor(THREADS) as pool:
        ids = set(pool.map(lambda _: register(http, registry_url, subject, text), range(32)))
    assert len(ids) == 1
    assert http.get(f"{registry_url}/subjects/{subject}/versions").json() == [1]


def test_new_versions_of_one_subject_from_many_threads_are_numbered_without_gaps(
    http: httpx.Client, registry_url: str, subject: str
) -> None:
    http.put(f"{registry_url}/config/{subject}", json={"compatibility": "NONE"}, headers=HEADERS)
    with ThreadPoolExecutor(THREADS) as pool:
        ids = list(
            pool.map(lambda n: register(http, registry_url, subject, distinct_schema(n)), range(24))
        )
    assert len(set(ids)) == 24
    assert http.get(f"{registry_url}/subjects/{subject}/versions").json() == list(range(1, 25))


def test_two_registries_on_one_topic_never_share_an_id(
    http: httpx.Client, kafka_bootstrap: str, topic: str
) -> None:
    # Not the recommended deployment (see service.py), but ids must stay unique.
    with (
        InProcessRegistry(kafka_bootstrap, topic) as one,
        InProcessRegistry(kafka_bootstrap, topic) as two,
    ):
        urls = [one.url, two.url]
        with ThreadPoolExecutor(THREADS) as pool:
            ids = list(
                pool.map(
                    lambda n: register(http, urls[n % 2], f"s{n}", distinct_schema(n)), range(40)
                )
            )
        assert len(set(ids)) == len(ids)
        for url in urls:
            for n, schema_id in enumerate(ids):
                fetched = http.get(f"{url}/schemas/ids/{schema_id}").json()
                assert json.loads(fetched["schema"])["name"] == f"R{n}"
