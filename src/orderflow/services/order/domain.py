"""Placing an order: validate it against the catalogue, price it, emit OrderCreated."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from orderflow.events.ids import ItemId, OrderId, UserId
from orderflow.events.model import OrderCreated
from orderflow.events.stamp import Stamp
from orderflow.services.order.status import Status


class OrderRejected(Exception):
    """The order cannot be placed; ``field`` names the offending input."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


@dataclass(frozen=True)
class Order:
    """An order as OrderService holds it: who placed it, what, its total, its status."""

    order_id: OrderId
    user_id: UserId
    items: tuple[ItemId, ...]
    total_cents: int
    status: Status
    created_at: datetime


def place_order(
    order_id: OrderId,
    user_id: str,
    items: Sequence[str],
    prices: Mapping[ItemId, int],
    stamp: Stamp,
) -> tuple[Order, OrderCreated]:
    if not user_id.strip():
        raise OrderRejected("userId", "userId must be a non-empty string")
    if not items:
        raise OrderRejected("items", "items must list at least one item id")
    for index, item in enumerate(items):
        if item not in prices:
            known = ", ".join(sorted(prices))
            raise OrderRejected(f"items[{index}]", f"unknown item id {item!r} (known: {known})")
    chosen = tuple(ItemId(item) for item in items)
    total = sum(prices[item] for item in chosen)
    order = Order(order_id, UserId(user_id), chosen, total, Status.ORDER_CREATED, stamp.occurred_at)
    event = OrderCreated(
        event_id=stamp.event_id,
        order_id=order_id,
        occurred_at=stamp.occurred_at,
        user_id=order.user_id,
        items=chosen,
        total_cents=total,
    )
    return order, event
