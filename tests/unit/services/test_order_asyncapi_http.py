"""``GET /asyncapi.json`` on the OrderService: the generated document, built once."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from orderflow.events.asyncapi import asyncapi_document
from orderflow.messaging.deadletters import DEAD_LETTER_TOPIC
from orderflow.services import SERVICES
from orderflow.services.order.web import asyncapi
from orderflow.services.order.web.app import create_app


@asynccontextmanager
async def nothing(_app: FastAPI) -> AsyncIterator[None]:
    yield


def test_the_document_is_served_as_json_beside_the_openapi_one() -> None:
    with TestClient(create_app(nothing, body_limit_bytes=1024)) as client:
        served = client.get("/asyncapi.json")
        paths = client.get("/openapi.json").json()["paths"]

    assert served.status_code == 200
    assert served.headers["content-type"] == "application/json"
    assert served.json() == asyncapi_document(SERVICES, DEAD_LETTER_TOPIC)
    assert "/asyncapi.json" not in paths


def test_the_document_is_built_with_the_app_not_per_request(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    built: list[int] = []

    def counted(*args: Any) -> dict[str, Any]:
        built.append(1)
        return asyncapi_document(*args)

    monkeypatch.setattr(asyncapi, "asyncapi_document", counted)
    app = create_app(nothing, body_limit_bytes=1024)
    assert len(built) == 1
    with TestClient(app) as client:
        answers = [client.get("/asyncapi.json").status_code for _ in range(3)]

    assert answers == [200] * 3
    assert len(built) == 1
