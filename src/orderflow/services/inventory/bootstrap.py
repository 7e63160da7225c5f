"""Composition root of the InventoryService process."""

from __future__ import annotations

import threading

from orderflow.messaging.shutdown import stop_on_signals
from orderflow.messaging.worker import run_worker
from orderflow.services.inventory.handlers import CONSUMER, HANDLERS, TOPICS
from orderflow.services.inventory.store import InventoryStore
from orderflow.services.startup import start_up
from orderflow.settings import Settings


def run(settings: Settings) -> None:
    """Run InventoryService until SIGTERM or SIGINT."""
    codec = start_up(settings)
    stop = threading.Event()
    stop_on_signals(stop)
    run_worker(
        settings,
        codec,
        group=CONSUMER,
        topics=TOPICS,
        schema="inventory",
        handlers=HANDLERS,
        store=InventoryStore,
        stop=stop,
    )
