"""What InventoryService decides when an event arrives."""

from __future__ import annotations

from orderflow.events.model import OrderCreated, PaymentDeclined
from orderflow.events.stamp import Stamp
from orderflow.messaging.decision import Decision, Handlers, on
from orderflow.services.inventory import domain
from orderflow.services.inventory.domain import GiveBack, Hold, StockChange, StockView


def reserve_stock(event: OrderCreated, view: StockView, stamp: Stamp) -> Decision[StockChange]:
    if event.order_id in view.reservations:
        return Decision()
    held, outcome = domain.reserve(event, view.available(event.items), stamp)
    if held is None:
        return Decision(event=outcome)
    return Decision((Hold(held, outcome.occurred_at),), outcome)


def release_stock(event: PaymentDeclined, view: StockView, stamp: Stamp) -> Decision[StockChange]:
    held = view.reservations.get(event.order_id)
    released = domain.release(held, stamp)
    if held is None or released is None:
        return Decision()
    return Decision((GiveBack(held, released.occurred_at),), released)


HANDLERS = Handlers[StockView, StockChange](
    on(OrderCreated, reserve_stock),
    on(PaymentDeclined, release_stock),
)
