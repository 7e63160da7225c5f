"""State lives in the topic: a restarted or killed registry comes back the same."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from orderflow.registry.runners import InProcessRegistry, RegistryProcess

pytestmark = pytest.mark.stack

HEADERS = {"Content-Type": "application/vnd.schemaregistry.v1+json"}


def schema(n: int) -> str:
    fields = [{"name": f"f{i}", "type": "int", "default": 0} for i in range(n)]
    return json.dumps({"type": "record", "name": "Evolving", "fields": fields})


def populate(url: str) -> None:
    with httpx.Client(base_url=url, headers=HEADERS) as http:
        for n in range(1, 4):
            assert (
                http.post("/subjects/a-value/versions", json={"schema": schema(n)}).status_code
                == 200
            )
        assert http.post("/subjects/b-value/versions", json={"schema": schema(2)}).json() == {
            "id": 2
        }
        assert (
            http.post("/subjects/c-value/versions", json={"schema": schema(9)}).status_code == 200
        )
        assert http.delete("/subjects/a-value/versions/3").json() == 3
        assert http.delete("/subjects/c-value").json() == [1]
        assert http.delete("/subjects/c-value", params={"permanent": "true"}).json() == [1]
        assert http.put("/config/b-value", json={"compatibility": "FULL"}).status_code == 200
        assert http.put("/mode/b-value", json={"mode": "READONLY"}).status_code == 200


def snapshot(url: str) -> dict[str, Any]:
    with httpx.Client(base_url=url) as http:
        return {
            "subjects": http.get("/subjects", params={"deleted": "true"}).json(),
            "live": http.get("/subjects").json(),
            "a": [
                http.get(f"/subjects/a-value/versions/{v}", params={"deleted": "true"}).json()
                for v in (1, 2, 3)
            ],
            "b": http.get("/subjects/b-value/versions/latest").json(),
            "ids": [http.get(f"/schemas/ids/{i}").json() for i in (1, 2, 3)],
            "gone": http.get("/schemas/ids/4").json(),
            "config": http.get("/config/b-value").json(),
            "mode": http.get("/mode/b-value").json(),
        }


def test_in_process_restart_rebuilds_the_same_state(kafka_bootstrap: str, topic: str) -> None:
    with InProcessRegistry(kafka_bootstrap, topic) as first:
        populate(first.url)
        before = snapshot(first.url)
    assert before["gone"]["error_code"] == 40403
    assert before["live"] == ["a-value", "b-value"]
    with InProcessRegistry(kafka_bootstrap, topic) as second:
        assert snapshot(second.url) == before
        # Ids continue after the highest one seen, never reusing one.
        new = httpx.post(
            f"{second.url}/subjects/d-value/versions", json={"schema": schema(7)}, headers=HEADERS
        )
        assert new.json() == {"id": 5}


def test_kill_minus_nine_and_restart(kafka_bootstrap: str, topic: str) -> None:
    registry = RegistryProcess(kafka_bootstrap, topic)
    registry.start()
    try:
        populate(registry.url)
        before = snapshot(registry.url)
        registry.kill()
        registry.start()
        assert snapshot(registry.url) == before
    finally:
        registry.stop()
