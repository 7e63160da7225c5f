"""The composition root of the registry process: store, log, service, routes."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from starlette.exceptions import HTTPException

from orderflow.access import kafka_access
from orderflow.messaging.dependencies import kafka
from orderflow.observability.readiness import Check, Readiness
from orderflow.observability.web import HttpObserver, install_health
from orderflow.registry.auth import BasicAuth
from orderflow.registry.errors import ErrorCode, RegistryError
from orderflow.registry.kafka_log import KafkaLog
from orderflow.registry.log import SchemaLog
from orderflow.registry.negotiation import AnswerType, refuse_unservable
from orderflow.registry.routes import compatibility, config, mode, schemas, subjects
from orderflow.registry.routes.http import RegistryJSON
from orderflow.registry.service import Registry
from orderflow.registry.store import Store
from orderflow.settings import Settings

log = logging.getLogger(__name__)


def create_app(settings: Settings, schema_log: SchemaLog | None = None) -> FastAPI:
    """The ASGI app; it reads the whole ``_schemas`` topic before taking requests."""
    chosen = schema_log or KafkaLog(
        Store(), kafka_access(settings), settings.registry_topic, settings.registry_timeout_s
    )

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        await chosen.start()
        app.state.registry = Registry(chosen)
        try:
            yield
        finally:
            await chosen.stop()

    app = FastAPI(title="orderflow schema registry", lifespan=lifespan, openapi_url=None)
    # Ready once its schemas are read (uvicorn answers only after the lifespan has
    # started) while Kafka, where it keeps them, answers.
    install_health(
        app, Readiness("registry", [Check("kafka", kafka(kafka_access(settings)).probe)])
    )
    app.add_middleware(AnswerType)
    if settings.registry_username and settings.registry_password:
        # Outside negotiation, inside the observer: a refusal is counted, and no
        # route runs for it.
        password = settings.registry_password.get_secret_value()
        app.add_middleware(BasicAuth, username=settings.registry_username, password=password)
    app.add_middleware(HttpObserver, service="registry")
    app.state.body_limit_bytes = settings.registry_body_limit_bytes
    negotiated = [Depends(refuse_unservable)]
    for module in (subjects, schemas, compatibility, config, mode):
        app.include_router(module.router, dependencies=negotiated)
    app.add_api_route(
        "/", _root, methods=["GET"], response_class=RegistryJSON, dependencies=negotiated
    )
    app.add_exception_handler(RegistryError, _registry_error)
    app.add_exception_handler(RequestValidationError, _bad_parameter)
    app.add_exception_handler(HTTPException, _http_error)
    app.add_exception_handler(Exception, _unexpected)
    return app


async def _root() -> dict[str, str]:
    return {}


async def _registry_error(_: Request, error: Exception) -> Response:
    assert isinstance(error, RegistryError)
    return RegistryJSON(error.body(), status_code=error.http_status)


async def _bad_parameter(_: Request, error: Exception) -> Response:
    assert isinstance(error, RequestValidationError)
    where = "; ".join(f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in error.errors())
    return RegistryJSON({"error_code": 422, "message": where}, status_code=422)


async def _http_error(_: Request, error: Exception) -> Response:
    assert isinstance(error, HTTPException)
    message = f"HTTP {error.status_code} {error.detail}"
    return RegistryJSON({"error_code": error.status_code, "message": message}, error.status_code)


async def _unexpected(_: Request, error: Exception) -> Response:
    log.exception("unexpected error", exc_info=error)
    body = {"error_code": int(ErrorCode.STORE_ERROR), "message": "Error in the backend data store"}
    return RegistryJSON(body, status_code=500)
