"""The OrderService's HTTP front: the API, with OrderStatusService consuming beside it."""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import uvicorn
from fastapi import FastAPI
from psycopg_pool import AsyncConnectionPool

from orderflow.events.codec import EventCodec
from orderflow.listening import warn_unless_loopback
from orderflow.messaging.outbox import Outbox
from orderflow.messaging.service import AnyService, Consume
from orderflow.observability.metrics import watch_pool
from orderflow.observability.readiness import Readiness
from orderflow.observability.web import install_health
from orderflow.services.order.store import OrderStore
from orderflow.services.order.watchers import StatusWatchers
from orderflow.services.order.web.app import create_app
from orderflow.settings import Settings

log = logging.getLogger(__name__)


def build_app(
    service: AnyService,
    settings: Settings,
    codec: EventCodec,
    consume: Consume,
    readiness: Readiness,
) -> FastAPI:
    """The app; its lifespan opens the pool and runs OrderStatusService beside it."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        pool = AsyncConnectionPool(
            settings.service_dsn(service.role(settings)), min_size=4, max_size=16, open=False
        )
        await pool.open(wait=True, timeout=settings.startup_timeout_s)
        watch_pool(service.name, "http", pool.get_stats)
        watchers = StatusWatchers(asyncio.get_running_loop())
        app.state.orders = OrderStore(pool, Outbox(service.schema, codec))
        app.state.watchers = watchers
        stop = threading.Event()
        status_thread = threading.Thread(
            target=_status_service,
            args=(consume, stop, watchers),
            name="order-status-service",
        )
        status_thread.start()
        try:
            yield
        finally:
            stop.set()
            await asyncio.to_thread(status_thread.join)
            await pool.close()

    app = create_app(lifespan, settings.http_body_limit_bytes, service.name)
    install_health(app, readiness)
    return app


def _status_service(consume: Consume, stop: threading.Event, watchers: StatusWatchers) -> None:
    try:
        consume(stop, lambda events: watchers.notify(e.order_id for e in events))
    except Exception:
        # Statuses would silently go stale; better the whole process stops and restarts.
        log.exception("OrderStatusService failed; stopping the OrderService process")
        os.kill(os.getpid(), signal.SIGTERM)


def serve(
    service: AnyService,
    settings: Settings,
    codec: EventCodec,
    consume: Consume,
    readiness: Readiness,
) -> None:
    """Serve HTTP on the service's port until SIGTERM or SIGINT (uvicorn handles both)."""
    port = service.port(settings)
    app = build_app(service, settings, codec, consume, readiness)
    warn_unless_loopback(log, "the OrderService HTTP API", settings.host, port)
    # log_config=None: uvicorn's loggers propagate to the root's handler (text or JSON);
    # observability/access_log.py logs the requests.
    uvicorn.run(
        app, host=settings.host, port=port, log_level="warning", log_config=None, access_log=False
    )
