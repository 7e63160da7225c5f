"""The dashboard's errors as JSON: the OrderService's body, ``{"error", "message", "field"}``.

Bad input is a 4xx naming the field; a backend that does not answer (the
OrderService, Postgres, Kafka, the registry) is a 502 or 503 naming it, never
a 500: the page shows the message as it is.
"""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from orderflow.services.order.web.errors import error_response, field_of


class Refused(Exception):
    """What was asked is wrong, and which field says so."""

    def __init__(self, status: int, error: str, message: str, field: str | None) -> None:
        super().__init__(message)
        self.status, self.error, self.message, self.field = status, error, message, field


class Unavailable(Exception):
    """A backend did not answer: 502 for the OrderService (we are its gateway), 503 for
    the parts read directly."""

    def __init__(self, status: int, error: str, message: str) -> None:
        super().__init__(message)
        self.status, self.error, self.message = status, error, message


async def _refused(_: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, Refused)
    return error_response(error.status, error.error, error.message, error.field)


async def _unavailable(_: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, Unavailable)
    return error_response(error.status, error.error, error.message, None, {"Retry-After": "1"})


async def _invalid(_: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, RequestValidationError)
    first = error.errors()[0]
    loc = tuple(first.get("loc", ()))
    field = field_of(loc)
    # As the OrderService answers: no JSON object at all is a bad request, a JSON
    # object of the wrong shape is unprocessable.
    if first.get("type") == "json_invalid" or loc == ("body",):
        return error_response(400, "bad_request", "a JSON object body is required", "body")
    if loc and loc[0] in ("query", "path"):
        return error_response(400, "bad_request", f"{field}: {first.get('msg')}", field)
    return error_response(422, "invalid_request", f"{field}: {first.get('msg')}", field)


async def _http(_: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, HTTPException)
    code = {404: "not_found", 405: "method_not_allowed"}.get(error.status_code, "http_error")
    return error_response(error.status_code, code, str(error.detail), None, error.headers)


def install(app: FastAPI) -> None:
    app.add_exception_handler(Refused, _refused)
    app.add_exception_handler(Unavailable, _unavailable)
    app.add_exception_handler(RequestValidationError, _invalid)
    app.add_exception_handler(HTTPException, _http)
