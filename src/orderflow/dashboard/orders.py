"""The orders, through the OrderService's own API: place one, read one, follow one live.

The dashboard is the OrderService's gateway here, not a second implementation
of it: bodies go to it as they came and its answers come back as it wrote
them (its 4xx bodies name the field), with one addition: an order's hops. It
not answering is a 502, as from any gateway.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Awaitable

import httpx
from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse, StreamingResponse
from starlette.background import BackgroundTask

from orderflow.dashboard.errors import Refused, Unavailable
from orderflow.dashboard.hops import history_of, hops
from orderflow.dashboard.state import OrderService, SettingsDep

router = APIRouter(prefix="/api/orders", tags=["orders"])

# The request headers the OrderService reads, and the answer headers a client may.
_FORWARDED = ("Content-Type", "Idempotency-Key")
_RETURNED = ("Retry-After", "Idempotent-Replayed")
# A followed order's stream says ": keep-alive" every 15 s: a minute of silence is
# an OrderService that froze, and the browser should hear the stream end.
FOLLOW_TIMEOUT = httpx.Timeout(10.0, read=60.0)
_SSE_HEADERS = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}


@router.post("")
async def place(request: Request, client: OrderService, settings: SettingsDep) -> Response:
    """``POST /order`` with the body as it came: the OrderService validates it."""
    body = await _body(request, settings.http_body_limit_bytes)
    headers = {name: request.headers[name] for name in _FORWARDED if name in request.headers}
    answer = await _asked(client, client.post("/order", content=body, headers=headers))
    return _passed(answer)


@router.get("/{orderId}")
async def detail(orderId: str, client: OrderService) -> Response:
    """The order as ``GET /orders/{orderId}`` has it, plus its ``hops``."""
    answer = await _asked(client, client.get(f"/orders/{_checked(orderId)}"))
    if answer.status_code != 200:
        return _passed(answer)
    try:
        body = answer.json()
        body["hops"] = [hop.document() for hop in hops(history_of(body["history"]))]
    except (ValueError, KeyError, TypeError) as error:
        raise Unavailable(
            502, "order_service_bad_answer", f"the OrderService's order is not as expected: {error}"
        ) from None
    return JSONResponse(body)


@router.get("/{orderId}/events")
async def follow(orderId: str, request: Request, client: OrderService) -> Response:
    """The OrderService's Server-Sent Events for the order, relayed until they end."""
    asked = client.build_request(
        "GET",
        f"/orders/{_checked(orderId)}/events",
        params=request.query_params,  # its ``timeout``, if the page sets one
        timeout=FOLLOW_TIMEOUT,
    )
    answer = await _asked(client, client.send(asked, stream=True))
    if answer.status_code != 200:
        await answer.aread()
        await answer.aclose()
        return _passed(answer)
    return StreamingResponse(
        _relayed(answer),
        media_type="text/event-stream",
        headers=_SSE_HEADERS,
        # Also when the browser leaves first: the OrderService's stream is closed with ours.
        background=BackgroundTask(answer.aclose),
    )


async def _relayed(answer: httpx.Response) -> AsyncIterator[bytes]:
    try:
        async for chunk in answer.aiter_bytes():  # decoded: its Content-Encoding is not ours
            yield chunk
    except httpx.HTTPError:
        # The OrderService went away mid-stream: ours ends too, and the page reloads
        # the order, as at any end of its stream.
        return
    finally:
        await answer.aclose()


async def _body(request: Request, limit: int) -> bytes:
    """The body, refused past the OrderService's own limit before we hold all of it."""
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            raise Refused(413, "body_too_large", f"the body is over {limit} bytes", "body")
    return bytes(body)


def _checked(order_id: str) -> str:
    # As the OrderService does: a malformed id names no order. Checked here so that
    # no path of ours is ever spliced into its URL.
    try:
        return str(uuid.UUID(order_id))
    except ValueError:
        raise Refused(404, "not_found", f"no order {order_id!r}", "orderId") from None


async def _asked(client: httpx.AsyncClient, call: Awaitable[httpx.Response]) -> httpx.Response:
    try:
        return await call
    except httpx.TransportError as error:
        raise Unavailable(
            502,
            "order_service_unavailable",
            f"the OrderService at {client.base_url} did not answer ({type(error).__name__}); "
            "is it running? (orderflow status)",
        ) from None


def _passed(answer: httpx.Response) -> Response:
    """The OrderService's answer as it wrote it: status, body, the headers a client reads."""
    headers = {name: answer.headers[name] for name in _RETURNED if name in answer.headers}
    location = answer.headers.get("Location")
    if location is not None and location.startswith("/orders/"):
        headers["Location"] = f"/api{location}"  # where the order is, through us
    return Response(
        answer.content,
        status_code=answer.status_code,
        headers=headers,
        media_type=answer.headers.get("Content-Type"),
    )
