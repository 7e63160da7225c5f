"""The OrderService FastAPI application, built around what the caller provides."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractAsyncContextManager

from fastapi import FastAPI

from orderflow.observability.web import HttpObserver
from orderflow.services.order.web import asyncapi, errors, orders
from orderflow.services.order.web.content_type import JsonByDefault
from orderflow.services.order.web.limits import BodyLimit

Lifespan = Callable[[FastAPI], AbstractAsyncContextManager[None]]


def create_app(lifespan: Lifespan, body_limit_bytes: int, service: str = "order") -> FastAPI:
    """``lifespan`` puts ``orders`` and ``watchers`` on ``app.state`` (see web/ports.py)."""
    app = FastAPI(
        title="orderflow OrderService",
        summary="Place orders and follow them through inventory, shipping and payment.",
        lifespan=lifespan,
    )
    app.include_router(orders.router)
    app.include_router(asyncapi.router())
    errors.install(app)
    app.add_middleware(JsonByDefault)
    app.add_middleware(BodyLimit, max_bytes=body_limit_bytes)
    # Outermost: it times what the client waits for, the body limit's refusals included.
    app.add_middleware(HttpObserver, service=service)
    return app
