"""What PaymentService decides when an event arrives."""

from __future__ import annotations

from orderflow.events.model import ShipmentCreated
from orderflow.events.stamp import Stamp
from orderflow.messaging.decision import Decision, Handlers, on
from orderflow.services.payment import domain
from orderflow.services.payment.domain import Charge, PaymentsView


def charge_order(event: ShipmentCreated, view: PaymentsView, stamp: Stamp) -> Decision[Charge]:
    if event.order_id in view.settled:
        return Decision()
    balance, outcome = domain.charge(event, view.balance(event.user_id), stamp)
    return Decision((Charge(outcome, balance),), outcome)


HANDLERS = Handlers[PaymentsView, Charge](on(ShipmentCreated, charge_order))
