"""The order resource: place an order, read its status, its detail, follow it live."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Header, Query, Request, Response
from fastapi.responses import StreamingResponse

from orderflow.events.ids import OrderId, time_ordered_id
from orderflow.events.stamp import fresh_stamp
from orderflow.observability.metrics import ORDERS_PLACED
from orderflow.observability.tracing import order_trace
from orderflow.services.order.catalogue import PRICES_CENTS
from orderflow.services.order.domain import place_order
from orderflow.services.order.idempotency import KEY_MAX_CHARS, Idempotency, fingerprint
from orderflow.services.order.watchers import StatusWatchers
from orderflow.services.order.web import openapi, ports
from orderflow.services.order.web.errors import OrderNotFound
from orderflow.services.order.web.follow import status_events
from orderflow.services.order.web.models import (
    IDEMPOTENCY_KEY,
    IdempotencyKey,
    OrderDetail,
    OrderPlaced,
    OrderStatus,
    PlaceOrder,
    StatusChange,
)

router = APIRouter(tags=["orders"])

OrdersDep = Annotated[ports.Orders, Depends(ports.orders)]
WatchersDep = Annotated[StatusWatchers, Depends(ports.watchers)]
OrderIdQuery = Annotated[
    str, Query(alias="orderId", min_length=1, description="The id POST /order returned")
]
KeyHeader = Annotated[
    IdempotencyKey | None,
    Header(
        alias=IDEMPOTENCY_KEY,
        min_length=1,
        max_length=KEY_MAX_CHARS,
        description="Makes the request safe to retry: the same key with the same order"
        " answers the order it placed, never a second one. A UUID, say, bare or as a"
        ' Structured Field string ("…", as the IETF draft writes it); scoped to the userId,'
        " kept for good.",
    ),
]


def _checked(order_id: str) -> str:
    try:
        return str(uuid.UUID(order_id))
    except ValueError:
        raise OrderNotFound(order_id) from None


@router.post("/order", status_code=201, operation_id="placeOrder", responses=openapi.PLACE)
async def place(
    body: PlaceOrder, orders: OrdersDep, request: Request, response: Response, key: KeyHeader = None
) -> OrderPlaced:
    """Place an order; it moves on asynchronously (see ``GET /orders/{orderId}``)."""
    claim = None if key is None else Idempotency(key, fingerprint(body.userId, body.items))
    order_id = OrderId(time_ordered_id())
    with order_trace("POST /order", order_id) as trace:
        # For the access log's line about this request.
        request.state.order_id, request.state.trace_id = order_id, trace.trace_id
        order, created = place_order(order_id, body.userId, body.items, PRICES_CENTS, fresh_stamp())
        placed = await orders.place(order, created, trace.traceparent, claim)
    if placed.replayed:
        request.state.order_id = placed.order_id
        response.headers["Idempotent-Replayed"] = "true"
    else:
        ORDERS_PLACED.inc()
    response.headers["Location"] = f"/orders/{placed.order_id}"
    return OrderPlaced(orderId=placed.order_id)


@router.get("/order/status", operation_id="getOrderStatus", responses=openapi.STATUS)
async def status(orders: OrdersDep, order_id: OrderIdQuery, request: Request) -> OrderStatus:
    """The current status of an order, as the original has it."""
    request.state.order_id = order_id
    found = await orders.status(_checked(order_id))
    if found is None:
        raise OrderNotFound(order_id)
    return OrderStatus(orderId=order_id, status=found)


@router.get("/orders/{orderId}", operation_id="getOrder", responses=openapi.DETAIL)
async def detail(orderId: str, orders: OrdersDep, request: Request) -> OrderDetail:
    """The order with its items, total and every status it passed through, with times."""
    request.state.order_id = orderId
    view = await orders.find(_checked(orderId))
    if view is None:
        raise OrderNotFound(orderId)
    request.state.trace_id = view.trace_id
    order = view.order
    return OrderDetail(
        orderId=order.order_id,
        userId=order.user_id,
        items=list(order.items),
        totalCents=order.total_cents,
        status=order.status.value,
        createdAt=order.created_at,
        history=[StatusChange(status=h.status, at=h.occurred_at) for h in view.history],
        traceId=view.trace_id,
    )


@router.get(
    "/orders/{orderId}/events",
    operation_id="streamOrderEvents",
    responses=openapi.EVENTS,
    response_class=StreamingResponse,
)
async def follow(
    orderId: str,
    orders: OrdersDep,
    watchers: WatchersDep,
    seconds: Annotated[
        float, Query(alias="timeout", gt=0, le=600, description="Seconds to follow at most")
    ] = 60,
) -> StreamingResponse:
    """Follow an order live (Server-Sent Events, one ``status`` event per status) until it
    reaches a terminal status or ``timeout`` passes."""
    order_id = _checked(orderId)
    if await orders.find(order_id) is None:
        raise OrderNotFound(orderId)
    return StreamingResponse(
        status_events(order_id, orders, watchers, seconds), media_type="text/event-stream"
    )
