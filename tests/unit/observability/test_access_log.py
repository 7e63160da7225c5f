"""The access log: one line per request, with the order the route was about."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from typing import Any

import pytest
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from fastapi.testclient import TestClient

from orderflow.observability.access_log import enable_access_log
from orderflow.observability.logs import configure_logging
from orderflow.observability.web import HttpObserver
from orderflow.services.order.web.app import create_app


def tiny_app() -> FastAPI:
    app = FastAPI()

    @app.post("/order")
    async def place(request: Request) -> JSONResponse:
        request.state.order_id = "o-1"
        request.state.trace_id = "t-1"
        return JSONResponse({"orderId": "o-1"}, status_code=201)

    @app.get("/broken")
    async def broken() -> None:
        raise RuntimeError("bug")

    app.add_middleware(HttpObserver, service="tiny")
    return app


@pytest.fixture
def client() -> Iterator[TestClient]:
    with TestClient(tiny_app(), raise_server_exceptions=False) as test_client:
        yield test_client


@pytest.fixture
def access(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    caplog.set_level(logging.INFO, logger="orderflow.access")
    return caplog


def access_line(caplog: pytest.LogCaptureFixture) -> dict[str, Any]:
    """The one access line's record, as its attributes."""
    (record,) = [r for r in caplog.records if r.name == "orderflow.access"]
    assert record.levelno == logging.INFO
    return record.__dict__ | {"message": record.getMessage()}


def test_a_request_is_one_line_with_the_routes_order(
    client: TestClient, access: pytest.LogCaptureFixture
) -> None:
    client.post("/order", json={})

    line = access_line(access)
    assert (line["method"], line["path"], line["status"]) == ("POST", "/order", 201)
    assert (line["order_id"], line["trace_id"]) == ("o-1", "t-1")
    assert line["duration_ms"] >= 0
    assert line["message"].startswith("POST /order 201 ")
    assert line["message"].endswith(" ms order o-1 trace t-1")


def test_a_route_that_raises_is_a_500_line(
    client: TestClient, access: pytest.LogCaptureFixture
) -> None:
    client.get("/broken")

    line = access_line(access)
    assert (line["method"], line["path"], line["status"]) == ("GET", "/broken", 500)
    assert "order_id" not in line


def test_in_json_mode_the_parts_are_fields(client: TestClient) -> None:
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    stream = io.StringIO()
    configure_logging("order", "json", access_log=True, stream=stream)
    try:
        client.post("/order", json={})
    finally:
        for handler in root.handlers:
            if handler not in handlers:
                root.removeHandler(handler)
        root.setLevel(level)
        enable_access_log(False)

    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    (line,) = [line for line in lines if line["logger"] == "orderflow.access"]
    assert line["service"] == "order"
    assert {k: line[k] for k in ("method", "path", "status", "order_id", "trace_id")} == {
        "method": "POST",
        "path": "/order",
        "status": 201,
        "order_id": "o-1",
        "trace_id": "t-1",
    }
    assert isinstance(line["duration_ms"], float)


def test_the_access_log_is_off_unless_asked(client: TestClient) -> None:
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    stream = io.StringIO()
    configure_logging("order", "json", stream=stream)
    try:
        client.post("/order", json={})
        logging.getLogger("orderflow.other").info("not a request")
    finally:
        for handler in root.handlers:
            if handler not in handlers:
                root.removeHandler(handler)
        root.setLevel(level)

    loggers = [json.loads(line)["logger"] for line in stream.getvalue().splitlines()]
    assert loggers == ["orderflow.other"]


def test_the_order_service_logs_its_requests(access: pytest.LogCaptureFixture) -> None:
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield

    with TestClient(create_app(lifespan, body_limit_bytes=1024)) as order_service:
        order_service.get("/nowhere")

    line = access_line(access)
    assert (line["method"], line["path"], line["status"]) == ("GET", "/nowhere", 404)
