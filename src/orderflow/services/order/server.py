"""The OrderService's HTTP front: the API, with OrderStatusService consuming beside it.

Several OrderService processes (`orderflow up --scale order=2`) serve the API
on one port: each binds it with SO_REUSEPORT and the kernel spreads the
connections over them. Each also serves on a port of its own (its instance's,
see stack/scale.py), where the launcher asks that very process whether it is
ready and Prometheus scrapes it. Their projections share one consumer group,
and the status changes reach every process's followers as Postgres notices.
"""

from __future__ import annotations

import asyncio
import logging
import os
import signal
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
from orderflow.messaging.service import AnyService, Consume
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
        # The changes projected by the other OrderService processes (notices.py).
        notices_thread = threading.Thread(
            target=notices.listen,
            args=(settings.service_dsn(service.role(settings)), watchers.notify,
                  watchers.notify_all, stop),
            name="order-status-notices",
            daemon=True,
        )  # fmt: skip
        status_thread.start()
        notices_thread.start()
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
    """Serve HTTP on the service's port (shared with its other instances) and on this
    instance's own, until SIGTERM or SIGINT (uvicorn handles both)."""
    shared, own = service.port(settings), own_port(service, settings)
    app = build_app(service, settings, codec, consume, readiness)
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
