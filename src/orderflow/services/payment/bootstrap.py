"""Composition root of the PaymentService process."""

from __future__ import annotations

import threading
from functools import partial

from orderflow.messaging.shutdown import stop_on_signals
from orderflow.messaging.worker import run_worker
from orderflow.services.payment.handlers import CONSUMER, HANDLERS, TOPICS
from orderflow.services.payment.store import PaymentStore
from orderflow.services.startup import start_up
from orderflow.settings import Settings


def run(settings: Settings) -> None:
    """Run PaymentService until SIGTERM or SIGINT."""
    codec = start_up(settings)
    stop = threading.Event()
    stop_on_signals(stop)
    run_worker(
        settings,
        codec,
        group=CONSUMER,
        topics=TOPICS,
        schema="payment",
        handlers=HANDLERS,
        store=partial(PaymentStore, default_balance_cents=settings.payment_default_balance_cents),
        stop=stop,
    )
