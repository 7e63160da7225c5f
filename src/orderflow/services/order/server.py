"""The OrderService's HTTP front: the API, and the status changes its followers wait for.

Several OrderService processes (`orderflow up --scale order=2`) serve the API
on one port: each binds it with SO_REUSEPORT and the kernel spreads the
connections over them. Each also serves on a port of its own (its instance's,
see stack/scale.py), where the launcher asks that very process whether it is
ready and Prometheus scrapes it. OrderStatusService, in processes of its own,
tells every one of them of each status change as a Postgres notice.
"""

from __future__ import annotations

import asyncio
import logging
import socket
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import uvicorn
from fastapi import FastAPI
from psycopg_pool import AsyncConnectionPool

from orderflow.events.codec import EventCodec
from orderflow.listening import warn_unless_loopback
from orderflow.messaging.outbox import Outbox
from orderflow.messaging.runtime import own_port
from orderflow.messaging.service import HttpService
from orderflow.observability.metrics import watch_pool
from orderflow.observability.readiness import Readiness
from orderflow.observability.web import install_health
from orderflow.services.order import notices
from orderflow.services.order.store import OrderStore
from orderflow.services.order.watchers import StatusWatchers
from orderflow.services.order.web.app import create_app
from orderflow.settings import Settings

log = logging.getLogger(__name__)


def build_app(
    service: HttpService, settings: Settings, codec: EventCodec, readiness: Readiness
) -> FastAPI:
    """The app; its lifespan opens the pool and listens for status changes."""

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
        # The changes OrderStatusService projects (notices.py).
        notices_thread = threading.Thread(
            target=notices.listen,
            args=(settings.service_dsn(service.role(settings)), watchers.notify,
                  watchers.notify_all, stop),
            name="order-status-notices",
            daemon=True,
        )  # fmt: skip
        notices_thread.start()
        try:
            yield
        finally:
            stop.set()
            await pool.close()

    app = create_app(lifespan, settings.http_body_limit_bytes, service.name)
    install_health(app, readiness)
    return app


def serve(
    service: HttpService, settings: Settings, codec: EventCodec, readiness: Readiness
) -> None:
    """Serve HTTP on the service's port (shared with its other instances) and on this
    instance's own, until SIGTERM or SIGINT (uvicorn handles both)."""
    shared, own = service.port(settings), own_port(service, settings)
    app = build_app(service, settings, codec, readiness)
    warn_unless_loopback(log, "the OrderService HTTP API", settings.host, shared)
    sockets = [bound(settings.host, port) for port in dict.fromkeys((shared, own))]
    # log_config=None: uvicorn's loggers propagate to the root's handler (text or JSON);
    # observability/access_log.py logs the requests.
    config = uvicorn.Config(app, log_level="warning", log_config=None, access_log=False)
    uvicorn.Server(config).run(sockets=sockets)


def bound(host: str, port: int) -> socket.socket:
    """A listening socket on ``host``:``port`` that other processes may bind too."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    listening = socket.socket(family, socket.SOCK_STREAM)
    listening.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listening.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    listening.bind((host.strip("[]"), port))
    listening.listen(2048)
    return listening
