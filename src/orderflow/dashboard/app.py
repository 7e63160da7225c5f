"""The dashboard's one app: the page, its live feed and the REST routes behind its buttons."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import httpx
from fastapi import FastAPI
from fastapi.responses import FileResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles

from orderflow.dashboard import balances, dead_letters, errors, orders, schemas, stock
from orderflow.dashboard.live import live_router
from orderflow.settings import Settings

STATIC = Path(__file__).parent / "static"
NAME = "dashboard"
# A POST or a GET of the OrderService answers within a few milliseconds when well;
# this long is one that does not answer (following an order has a timeout of its own).
ORDER_SERVICE_TIMEOUT = httpx.Timeout(10.0)


def order_service_url(settings: Settings) -> str:
    return f"http://{settings.host}:{settings.order_port}"


def create_app(
    settings: Settings, *, order_transport: httpx.AsyncBaseTransport | None = None
) -> FastAPI:
    """The dashboard on ``settings``; ``order_transport`` stands in for the OrderService's
    network in tests (httpx.MockTransport)."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # One client, so one pool of keep-alive connections, for the app's life.
        async with httpx.AsyncClient(
            base_url=order_service_url(settings),
            timeout=ORDER_SERVICE_TIMEOUT,
            transport=order_transport,
        ) as client:
            app.state.order_service = client
            yield

    app = FastAPI(title="orderflow dashboard", lifespan=lifespan, docs_url=None, redoc_url=None)
    app.state.settings = settings
    errors.install(app)
    app.include_router(live_router(settings))
    for resource in (orders, stock, balances, dead_letters, schemas):
        app.include_router(resource.router)
    _install_page(app)
    return app


def _install_page(app: FastAPI) -> None:
    async def healthz() -> JSONResponse:
        return JSONResponse({"service": NAME, "alive": True})

    async def index() -> Response:
        page = STATIC / "index.html"
        if not page.is_file():
            body = {"error": "not_found", "message": f"no page at {page}", "field": None}
            return JSONResponse(body, status_code=404)
        # Asked again at each load, so that the page after an upgrade is the new one.
        return FileResponse(page, headers={"Cache-Control": "no-cache"})

    app.add_api_route("/healthz", healthz, methods=["GET"], include_in_schema=False)
    app.add_api_route("/", index, methods=["GET"], include_in_schema=False)
    # check_dir=False: the app builds (and its API answers) from a checkout whose
    # front-end files are not there yet.
    app.mount("/static", StaticFiles(directory=STATIC, check_dir=False), name="static")
