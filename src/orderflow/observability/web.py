"""The same three routes, HTTP metrics and the access log on a process that already
serves FastAPI (the OrderService and the registry)."""

from __future__ import annotations

import asyncio
import time
from typing import Any

from fastapi import FastAPI
from fastapi.responses import JSONResponse, Response
from prometheus_client import CONTENT_TYPE_LATEST, Counter, Histogram, generate_latest
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from orderflow.observability.access_log import log_request, logging_requests
from orderflow.observability.metrics import HTTP_REQUESTS, HTTP_SECONDS
from orderflow.observability.readiness import Readiness


def install_health(app: FastAPI, readiness: Readiness) -> None:
    """Add ``/healthz``, ``/readyz`` and ``/metrics``, kept out of the OpenAPI document."""

    async def healthz() -> JSONResponse:
        return JSONResponse({"service": readiness.service, "alive": True})

    async def readyz() -> JSONResponse:
        # The probes block (a connect, a metadata request): off the event loop.
        ready, body = await asyncio.to_thread(readiness.report)
        return JSONResponse(body, status_code=200 if ready else 503)

    async def metrics() -> Response:
        return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)

    for path, endpoint in (("/healthz", healthz), ("/readyz", readyz), ("/metrics", metrics)):
        app.add_api_route(path, endpoint, methods=["GET"], include_in_schema=False)


class HttpObserver:
    """Counts and times every request by its route's template (``/orders/{orderId}``,
    not each order's path, which would be a time series per order), and writes its
    access-log line if that log is on. One plain ASGI middleware for both, timing
    once: Starlette's BaseHTTPMiddleware costs a task per request."""

    def __init__(self, app: ASGIApp, service: str) -> None:
        self._app = app
        self._service = service
        # A labelled child is looked up under a lock; an app has few routes and statuses.
        self._series: dict[tuple[str, str, int], tuple[Counter, Histogram]] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self._app(scope, receive, send)
            return
        # ``request.state`` writes into this dict; made here so that a layer
        # that copies the scope still shares it with the access log.
        state: dict[str, Any] = scope.setdefault("state", {})
        started = time.perf_counter()
        status = 500  # what the client sees if the app fails before it answers

        async def sending(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        try:
            await self._app(scope, receive, sending)
        finally:
            seconds = time.perf_counter() - started
            # The router put the matched route in the scope; none matched: one series.
            route = getattr(scope.get("route"), "path", None) or "unmatched"
            method = str(scope["method"])
            requests, durations = self._of(route, method, status)
            requests.inc()
            durations.observe(seconds)
            if logging_requests():
                log_request(scope, state, status, seconds * 1000)

    def _of(self, route: str, method: str, status: int) -> tuple[Counter, Histogram]:
        key = (route, method, status)
        found = self._series.get(key)
        if found is None:
            found = self._series[key] = (
                HTTP_REQUESTS.labels(self._service, route, method, str(status)),
                HTTP_SECONDS.labels(self._service, route, method),
            )
        return found
