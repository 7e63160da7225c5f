"""What the OpenAPI document says each operation answers: every status it can give.

The middlewares' refusals (413, 415) and the database's absence (503) are
answers too, so each route declares them beside its own errors, every error
an ``ErrorBody``. FastAPI adds a 422 of its own shape (``HTTPValidationError``)
to every operation with parameters; ``errors._invalid`` answers a bad
parameter or header with a 400 ``ErrorBody`` instead, and a bad body with a
422 ``ErrorBody`` declared here, so FastAPI's is taken out of the document.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI

from orderflow.services.order.idempotency import KEY_MAX_CHARS
from orderflow.services.order.web.models import ErrorBody

Responses = dict[int | str, dict[str, Any]]


def _error(description: str, **extra: Any) -> dict[str, Any]:
    return {"model": ErrorBody, "description": description, **extra}


_TOO_LARGE = _error(
    "The request body is over the limit (ORDERFLOW_HTTP_BODY_LIMIT_BYTES, 64 KiB by"
    " default), whatever the method; it is read to its end, then refused."
)
_NOT_FOUND = _error("No order has this id (nor can one: an id that is not a UUID).")
_UNAVAILABLE = _error(
    "The database is unavailable (restarting or unreachable); ask again after Retry-After.",
    headers={"Retry-After": {"description": "Seconds to wait.", "schema": {"type": "integer"}}},
)

PLACE: Responses = {
    201: {
        "description": "The order and its OrderCreated event are committed. Sent again with"
        " the same Idempotency-Key and the same order, the request gets this same answer,"
        " the same orderId, and no second order is placed.",
        "headers": {
            "Location": {
                "description": "The order's detail: /orders/{orderId}.",
                "schema": {"type": "string", "format": "uri-reference"},
            },
            "Idempotent-Replayed": {
                "description": "Sent, as true, when an earlier request with this"
                " Idempotency-Key placed the order.",
                "schema": {"type": "string", "enum": ["true"]},
            },
        },
    },
    400: _error(
        "The body is not JSON, or not a JSON object; or the Idempotency-Key header is empty,"
        f" over {KEY_MAX_CHARS} characters, or not printable ASCII."
    ),
    413: _TOO_LARGE,
    415: _error(
        "The body is declared as something other than JSON (a form-encoded body that is"
        " not JSON included); send application/json."
    ),
    422: _error(
        "The order cannot be placed: a field missing, of the wrong type or too long, an"
        " unknown item; or the Idempotency-Key was already used by this userId for other"
        " items (error idempotency_key_reused)."
    ),
    503: _UNAVAILABLE,
}

STATUS: Responses = {
    400: _error("orderId is missing or empty."),
    404: _NOT_FOUND,
    413: _TOO_LARGE,
    503: _UNAVAILABLE,
}

DETAIL: Responses = {404: _NOT_FOUND, 413: _TOO_LARGE, 503: _UNAVAILABLE}

EVENTS: Responses = {
    200: {
        "description": "Server-Sent Events: one `status` event per status the order has"
        " passed through, then one per new status, until a terminal status or `timeout`;"
        " a `: keep-alive` comment every 15 s of quiet.",
        "content": {
            "text/event-stream": {
                "schema": {"type": "string"},
                "example": "event: status\n"
                'data: {"orderId": "0193a4c2-…", "status": "Order Created",'
                ' "at": "2026-12-03T13:00:00+00:00"}\n\n',
            }
        },
    },
    400: _error("timeout is not a number of seconds above 0 and at most 600."),
    404: _NOT_FOUND,
    413: _TOO_LARGE,
    503: _UNAVAILABLE,
}


def document_errors_as_answered(app: FastAPI) -> None:
    """Take FastAPI's own 422 (``HTTPValidationError``) out of ``app``'s document."""
    generate = app.openapi

    def document() -> dict[str, Any]:
        built = generate()  # built once by FastAPI, then kept: this edits it in place
        for operations in built.get("paths", {}).values():
            for operation in operations.values():
                answers = operation.get("responses", {})
                if "HTTPValidationError" in str(answers.get("422", "")):
                    del answers["422"]
        schemas = built.get("components", {}).get("schemas", {})
        for unused in ("HTTPValidationError", "ValidationError"):
            schemas.pop(unused, None)
        return built

    # The way FastAPI documents to extend its document ("Extending OpenAPI").
    app.openapi = document  # type: ignore[method-assign]
