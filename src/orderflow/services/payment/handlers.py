"""What PaymentService does when an event arrives."""

from __future__ import annotations

from orderflow.events.model import Event, ShipmentCreated
from orderflow.events.topics import SHIPPING_EVENTS
from orderflow.messaging.processor import Handler
from orderflow.messaging.unit import Unit
from orderflow.services.payment import domain
from orderflow.services.payment.ports import Payments

CONSUMER = "payment-service"
TOPICS = (SHIPPING_EVENTS,)


def on_shipment_created(event: ShipmentCreated, unit: Unit[Payments]) -> None:
    if unit.store.paid_already(event.order_id):
        return
    balance, outcome = domain.charge(event, unit.store.balance(event.user_id), unit.stamp())
    unit.store.record(outcome, balance)
    unit.emit(outcome)


HANDLERS: dict[type[Event], Handler[Payments]] = {
    ShipmentCreated: on_shipment_created,
}
