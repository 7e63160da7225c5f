"""The OrderService app with its Orders port in memory, for the HTTP tests."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import replace

from fastapi import FastAPI
from fastapi.testclient import TestClient

from orderflow.events.model import OrderCreated
from orderflow.services.order.domain import Order
from orderflow.services.order.idempotency import Idempotency, KeyHolder, Placed, replay
from orderflow.services.order.status import Status
from orderflow.services.order.store import HistoryEntry, OrderView
from orderflow.services.order.watchers import StatusWatchers
from orderflow.services.order.web.app import create_app


class FakeOrders:
    """As ``OrderStore`` answers: one order per key and user, kept (as its unique index)."""

    def __init__(self) -> None:
        self.placed: dict[str, tuple[Order, OrderCreated]] = {}
        self.claims: list[Idempotency | None] = []
        """What each call to ``place`` was given, in order."""
        self._keys: dict[tuple[str, str], KeyHolder] = {}

    async def place(
        self, order: Order, created: OrderCreated, traceparent: str, claim: Idempotency | None
    ) -> Placed:
        self.claims.append(claim)
        if claim is not None:
            holder = self._keys.get((order.user_id, claim.key))
            if holder is not None:
                return replay(claim, holder)
            self._keys[order.user_id, claim.key] = KeyHolder(order.order_id, claim.fingerprint)
        self.placed[order.order_id] = (order, created)
        return Placed(order.order_id)

    async def status(self, order_id: str) -> str | None:
        found = self.placed.get(order_id)
        return None if found is None else found[0].status.value

    async def find(self, order_id: str) -> OrderView | None:
        found = self.placed.get(order_id)
        if found is None:
            return None
        order, _ = found
        history = (HistoryEntry(order.status.value, order.created_at),)
        # Terminal, so that following it live ends at once.
        return OrderView(replace(order, status=Status.INVENTORY_FAILED), history)


@contextmanager
def serving(orders: object, body_limit_bytes: int = 1024) -> Iterator[TestClient]:
    """A client of the app with ``orders`` behind its port."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.orders = orders
        app.state.watchers = StatusWatchers(asyncio.get_running_loop())
        yield

    with TestClient(create_app(lifespan, body_limit_bytes=body_limit_bytes)) as client:
        yield client
