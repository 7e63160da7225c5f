"""The one mapping from errors to HTTP status and a JSON body naming the field."""

from __future__ import annotations

from collections.abc import Mapping

import psycopg
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from psycopg_pool import PoolTimeout
from starlette.exceptions import HTTPException

from orderflow.services.order.domain import OrderRejected
from orderflow.services.order.idempotency import IdempotencyKeyReused
from orderflow.services.order.web import openapi
from orderflow.services.order.web.models import IDEMPOTENCY_KEY, ErrorBody


class OrderNotFound(Exception):
    def __init__(self, order_id: str) -> None:
        super().__init__(f"no order {order_id!r}")
        self.order_id = order_id


def error_response(
    status: int,
    error: str,
    message: str,
    field: str | None,
    headers: Mapping[str, str] | None = None,
) -> JSONResponse:
    """Every error answer of the API: an ``ErrorBody`` as JSON, its bytes in ``.body``.

    A response is an ASGI app too, so the middlewares that refuse a request
    before FastAPI sees it send this same response: ``await response(scope,
    receive, send)``.
    """
    body = ErrorBody(error=error, message=message, field=field)
    return JSONResponse(body.model_dump(), status_code=status, headers=headers)


def field_of(loc: tuple[int | str, ...]) -> str | None:
    """pydantic's location of an error (``("body", "items", 0)``) as ``items[0]``."""
    path = ""
    for part in loc[1:]:
        path += f"[{part}]" if isinstance(part, int) else f".{part}" if path else str(part)
    return path or None


async def _rejected(_: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, OrderRejected)
    code = "unknown_item" if error.field.startswith("items[") else "invalid_order"
    return error_response(422, code, error.message, error.field)


async def _key_reused(_: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, IdempotencyKeyReused)
    return error_response(422, "idempotency_key_reused", str(error), IDEMPOTENCY_KEY)


async def _not_found(_: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, OrderNotFound)
    return error_response(404, "not_found", str(error), "orderId")


async def _invalid(_: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, RequestValidationError)
    first = error.errors()[0]
    loc = tuple(first.get("loc", ()))
    field = field_of(loc)
    # A malformed header, a missing or malformed parameter, or a body that is not
    # JSON at all, is a bad request; a JSON body of the wrong shape is unprocessable.
    if loc and loc[0] == "header":
        return error_response(400, "bad_request", f"{field}: {first.get('msg')}", field)
    if first.get("type") == "json_invalid" or (loc and loc[0] in ("query", "path")):
        return error_response(400, "bad_request", str(first.get("msg")), field)
    if loc == ("body",):
        return error_response(400, "bad_request", "a JSON object body is required", "body")
    return error_response(422, "invalid_request", f"{field}: {first.get('msg')}", field)


async def _http(_: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, HTTPException)
    code = {404: "not_found", 405: "method_not_allowed", 413: "body_too_large"}.get(
        error.status_code, "http_error"
    )
    return error_response(error.status_code, code, str(error.detail), None, error.headers)


async def _database_down(_: Request, error: Exception) -> JSONResponse:
    # Postgres restarting or unreachable is a passing state of the service, not a
    # bug in it: 503 with a JSON body, and when to ask again. Found by the chaos
    # run, where a killed Postgres made POST /order answer a text/plain 500.
    message = "the database is unavailable; try again shortly"
    return error_response(503, "unavailable", message, None, {"Retry-After": "1"})


def install(app: FastAPI) -> None:
    app.add_exception_handler(OrderRejected, _rejected)
    app.add_exception_handler(IdempotencyKeyReused, _key_reused)
    app.add_exception_handler(OrderNotFound, _not_found)
    app.add_exception_handler(RequestValidationError, _invalid)
    app.add_exception_handler(HTTPException, _http)
    app.add_exception_handler(psycopg.OperationalError, _database_down)
    app.add_exception_handler(PoolTimeout, _database_down)
    # What these handlers answer is what the document says, not FastAPI's own 422.
    openapi.document_errors_as_answered(app)
