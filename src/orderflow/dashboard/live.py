"""``/api/live`` and ``/api/history``: the running pipeline, as it is and as it was.

The dashboard is light on the system it watches: one task makes a snapshot every
``dashboard_refresh_s`` and hands the same one to every browser connected, and it
runs only while one is: it starts when the first subscribes and stops (closing
its connections) when the last leaves, so nothing is read while no one looks.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager

import httpx
from fastapi import APIRouter, FastAPI
from fastapi.responses import JSONResponse, StreamingResponse

from orderflow.dashboard.history import MAX_MINUTES, history
from orderflow.dashboard.pipeline import Pipeline, pipeline
from orderflow.dashboard.prometheus import Prometheus, PrometheusUnavailable
from orderflow.dashboard.snapshot import snapshot
from orderflow.dashboard.sources import TIMEOUT_S, open_sources
from orderflow.services import SERVICES
from orderflow.settings import Settings
from orderflow.stack import prometheus
from orderflow.stack.connector import outbox_connector

log = logging.getLogger(__name__)

KEEPALIVE_S = 15.0
"""A comment line at least this often, so that no proxy closes a quiet stream."""

MakeSnapshot = Callable[[], Awaitable[str]]
"""One snapshot, as the one line of JSON sent as an event's data."""
OpenSnapshots = Callable[[], AbstractAsyncContextManager[MakeSnapshot]]
"""Opens what snapshots are made from (its connections) for as long as someone listens."""


class Broadcaster:
    def __init__(self, open_snapshots: OpenSnapshots, interval_s: float) -> None:
        self._open = open_snapshots
        self._interval_s = interval_s
        # Each subscriber's queue holds the newest snapshot only: a slow browser skips
        # the ones it could not take, rather than the task waiting on it.
        self._subscribers: set[asyncio.Queue[str]] = set()
        self._latest: str | None = None
        self._task: asyncio.Task[None] | None = None
        self._stopping: set[asyncio.Task[None]] = set()

    @property
    def subscribers(self) -> int:
        return len(self._subscribers)

    @asynccontextmanager
    async def subscribe(self) -> AsyncIterator[asyncio.Queue[str]]:
        """A queue of snapshots: the newest one made at once if there is one, else the
        first one made (which is at once, when this is the first subscriber)."""
        queue: asyncio.Queue[str] = asyncio.Queue(maxsize=1)
        if self._latest is not None:
            queue.put_nowait(self._latest)
        self._subscribers.add(queue)
        if self._task is None or self._task.done():  # done: it failed to open its sources
            self._task = asyncio.create_task(self._run(), name="dashboard-snapshots")
            self._task.add_done_callback(_log_failure)
        try:
            yield queue
        finally:
            self._subscribers.discard(queue)
            if not self._subscribers:
                self._stop()

    def _stop(self) -> None:
        task, self._task, self._latest = self._task, None, None
        if task is not None:
            task.cancel()
            # Kept until it has closed its connections, for ``aclose`` to wait on.
            self._stopping.add(task)
            task.add_done_callback(self._stopping.discard)

    async def aclose(self) -> None:
        """Stop making snapshots and wait for the connections to close (at shutdown)."""
        self._stop()
        await asyncio.gather(*self._stopping, return_exceptions=True)

    async def _run(self) -> None:
        loop = asyncio.get_running_loop()
        async with self._open() as make:
            while True:
                started = loop.time()
                try:
                    made = await make()
                except Exception:  # a bug; the sources themselves never raise
                    log.exception("dashboard: a snapshot failed")
                else:
                    self._latest = made
                    for queue in self._subscribers:
                        _offer(queue, made)
                await asyncio.sleep(max(0.0, self._interval_s - (loop.time() - started)))


def _log_failure(task: asyncio.Task[None]) -> None:
    if not task.cancelled() and task.exception() is not None:
        log.error("dashboard: the snapshots stopped", exc_info=task.exception())


def _offer(queue: asyncio.Queue[str], item: str) -> None:
    if queue.full():
        queue.get_nowait()
    queue.put_nowait(item)


async def events(broadcaster: Broadcaster) -> AsyncIterator[str]:
    """The SSE stream of one browser, until it leaves (Starlette then cancels this)."""
    async with broadcaster.subscribe() as snapshots:
        while True:
            try:
                made = await asyncio.wait_for(snapshots.get(), KEEPALIVE_S)
            except TimeoutError:
                yield ": keep-alive\n\n"
                continue
            yield f"event: snapshot\ndata: {made}\n\n"


def snapshots_of(settings: Settings, drawn: Pipeline, connector_name: str) -> OpenSnapshots:
    @asynccontextmanager
    async def open_snapshots() -> AsyncIterator[MakeSnapshot]:
        async with open_sources(settings, SERVICES, connector_name) as sources:

            async def make() -> str:
                document = snapshot(drawn, await sources.read(), settings.dashboard_refresh_s)
                return json.dumps(document, separators=(",", ":"), allow_nan=False)

            yield make

    return open_snapshots


def _bad_minutes(text: str) -> JSONResponse:
    message = f"minutes must be a whole number from 1 to {MAX_MINUTES}, not {text!r}"
    return JSONResponse(
        {"error": "invalid_minutes", "message": message, "field": "minutes"}, status_code=422
    )


def router(broadcaster: Broadcaster, prometheus_url: str) -> APIRouter:
    """The two routes over ``broadcaster`` and the Prometheus at ``prometheus_url``."""

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        await broadcaster.aclose()

    routes = APIRouter(lifespan=lifespan)

    @routes.get("/api/live")
    async def live() -> StreamingResponse:
        return StreamingResponse(
            events(broadcaster),
            media_type="text/event-stream",
            # No cache may keep a stream; a proxy (nginx) must not buffer it.
            headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
        )

    @routes.get("/api/history")
    async def past(minutes: str = "10") -> JSONResponse:
        if not minutes.isdecimal() or not 1 <= int(minutes) <= MAX_MINUTES:
            return _bad_minutes(minutes)
        try:
            async with httpx.AsyncClient(timeout=TIMEOUT_S) as client:
                found = await history(Prometheus(client, prometheus_url), int(minutes), time.time())
        except PrometheusUnavailable as error:
            body = {"error": "prometheus_unavailable", "message": str(error)}
            return JSONResponse(body, status_code=503)
        return JSONResponse(found)

    return routes


def live_router(settings: Settings) -> APIRouter:
    """``GET /api/live`` (Server-Sent Events, a snapshot every ``dashboard_refresh_s``)
    and ``GET /api/history?minutes=N``; nothing is read until a browser subscribes."""
    connector_name, _config = outbox_connector(settings)
    drawn = pipeline(SERVICES, connector_name)
    broadcaster = Broadcaster(
        snapshots_of(settings, drawn, connector_name), settings.dashboard_refresh_s
    )
    return router(broadcaster, prometheus.url(settings))
