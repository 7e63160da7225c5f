"""Composition root of the PaymentService process."""

from __future__ import annotations

from functools import partial

from orderflow.services.payment.handlers import CONSUMER, HANDLERS, TOPICS
from orderflow.services.payment.store import PaymentStore
from orderflow.services.startup import run_consumer_service
from orderflow.settings import Settings


def run(settings: Settings) -> None:
    """Run PaymentService until SIGTERM or SIGINT."""
    run_consumer_service(
        settings,
        group=CONSUMER,
        topics=TOPICS,
        schema="payment",
        handlers=HANDLERS,
        store=partial(PaymentStore, default_balance_cents=settings.payment_default_balance_cents),
    )
