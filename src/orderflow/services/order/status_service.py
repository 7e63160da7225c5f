"""OrderStatusService: consumes all four topics and keeps each order's status in Postgres.

It runs inside the OrderService process, as in the original, on a thread of
its own (the Kafka consumer blocks), with its own consumer group.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable

from orderflow.events.codec import EventCodec
from orderflow.messaging.worker import run_worker
from orderflow.services.order.handlers import CONSUMER, HANDLERS, TOPICS
from orderflow.services.order.status_store import StatusStore
from orderflow.settings import Settings


def run_status_service(
    settings: Settings,
    codec: EventCodec,
    stop: threading.Event,
    on_change: Callable[[Iterable[str]], None],
) -> None:
    """Consume until ``stop`` is set; ``on_change`` gets the order ids of each committed batch."""
    run_worker(
        settings,
        codec,
        group=CONSUMER,
        topics=TOPICS,
        schema="orders",
        handlers=HANDLERS,
        store=StatusStore,
        stop=stop,
        after_commit=lambda events: on_change(e.order_id for e in events),
    )
