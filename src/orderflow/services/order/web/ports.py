"""What the routes need from the outside, so a test can hand them fakes."""

from __future__ import annotations

from typing import Protocol

from fastapi import Request

from orderflow.events.model import OrderCreated
from orderflow.services.order.domain import Order
from orderflow.services.order.idempotency import Idempotency, Placed
from orderflow.services.order.store import OrderView
from orderflow.services.order.watchers import StatusWatchers


class Orders(Protocol):
    async def place(
        self, order: Order, created: OrderCreated, traceparent: str, claim: Idempotency | None
    ) -> Placed:
        """Commit ``order`` with ``created``; or, if ``claim``'s key already stands for an
        order, answer that one (``replayed``) or raise ``IdempotencyKeyReused``."""
        ...

    async def status(self, order_id: str) -> str | None: ...
    async def find(self, order_id: str) -> OrderView | None: ...


# Dependencies are async so that FastAPI does not hop to a worker thread for them.
async def orders(request: Request) -> Orders:
    found: Orders = request.app.state.orders
    return found


async def watchers(request: Request) -> StatusWatchers:
    found: StatusWatchers = request.app.state.watchers
    return found
