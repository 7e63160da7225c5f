"""Composition root of the InventoryService process."""

from __future__ import annotations

from orderflow.services.inventory.handlers import CONSUMER, HANDLERS, TOPICS
from orderflow.services.inventory.store import InventoryStore
from orderflow.services.startup import run_consumer_service
from orderflow.settings import Settings


def run(settings: Settings) -> None:
    """Run InventoryService until SIGTERM or SIGINT."""
    run_consumer_service(
        settings,
        group=CONSUMER,
        topics=TOPICS,
        schema="inventory",
        handlers=HANDLERS,
        store=InventoryStore,
    )
