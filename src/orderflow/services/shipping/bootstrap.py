"""Composition root of the ShippingService process."""

from __future__ import annotations

from orderflow.services.shipping.handlers import CONSUMER, HANDLERS, TOPICS
from orderflow.services.shipping.store import ShippingStore
from orderflow.services.startup import run_consumer_service
from orderflow.settings import Settings


def run(settings: Settings) -> None:
    """Run ShippingService until SIGTERM or SIGINT."""
    run_consumer_service(
        settings,
        group=CONSUMER,
        topics=TOPICS,
        schema="shipping",
        handlers=HANDLERS,
        store=ShippingStore,
    )
