"""Composition root of the ShippingService process."""

from __future__ import annotations

import threading

from orderflow.messaging.shutdown import stop_on_signals
from orderflow.messaging.worker import run_worker
from orderflow.services.shipping.handlers import CONSUMER, HANDLERS, TOPICS
from orderflow.services.shipping.store import ShippingStore
from orderflow.services.startup import start_up
from orderflow.settings import Settings


def run(settings: Settings) -> None:
    """Run ShippingService until SIGTERM or SIGINT."""
    codec = start_up(settings)
    stop = threading.Event()
    stop_on_signals(stop)
    run_worker(
        settings,
        codec,
        group=CONSUMER,
        topics=TOPICS,
        schema="shipping",
        handlers=HANDLERS,
        store=ShippingStore,
        stop=stop,
    )
