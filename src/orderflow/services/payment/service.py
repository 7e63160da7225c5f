"""PaymentService, declared: consumes shipments, keeps balances and payments in `payment`."""

from __future__ import annotations

from orderflow.events.model import PaymentCompleted, PaymentDeclined
from orderflow.events.topics import SHIPPING_EVENTS
from orderflow.messaging.service import Service
from orderflow.services.payment.domain import Charge, PaymentsView
from orderflow.services.payment.handlers import HANDLERS
from orderflow.services.payment.store import PaymentStore

PAYMENT = Service[PaymentsView, Charge](
    name="payment",
    title="PaymentService",
    group="payment-service",
    topics=(SHIPPING_EVENTS,),
    schema="payment",
    role=lambda settings: settings.postgres_payment_role,
    handlers=HANDLERS,
    store=lambda cur, settings: PaymentStore(cur, settings.payment_default_balance_cents),
    initial=lambda settings: PaymentsView(settings.payment_default_balance_cents),
    port=lambda settings: settings.payment_port,
    emits=(PaymentCompleted, PaymentDeclined),
)
