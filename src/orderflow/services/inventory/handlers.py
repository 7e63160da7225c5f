"""What InventoryService decides when an event arrives."""

from __future__ import annotations

from dataclasses import replace

from orderflow.events.model import OrderCreated, PaymentDeclined
from orderflow.events.stamp import Stamp
from orderflow.messaging.decision import Decision, Handlers, on
from orderflow.services.inventory import domain
from orderflow.services.inventory.domain import StockMove, StockView


def reserve_stock(event: OrderCreated, view: StockView, stamp: Stamp) -> Decision[StockMove]:
    if event.order_id in view.reservations:
        return Decision()
    held, outcome = domain.reserve(event, view.available(event.items), stamp)
    if held is None:
        return Decision(event=outcome)
    return Decision((StockMove(held, outcome.occurred_at),), outcome)


def release_stock(event: PaymentDeclined, view: StockView, stamp: Stamp) -> Decision[StockMove]:
    held = view.reservations.get(event.order_id)
    released = domain.release(held, stamp)
    if held is None or released is None:
        return Decision()
    return Decision((StockMove(replace(held, released=True), released.occurred_at),), released)


HANDLERS = Handlers[StockView, StockMove](
    on(OrderCreated, reserve_stock),
    on(PaymentDeclined, release_stock),
)
