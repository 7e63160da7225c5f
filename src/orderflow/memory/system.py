"""Every declared consumer wired in memory: place orders, run until quiet, look inside.

``place`` does what ``POST /order`` does (decide, then store the order and
its OrderCreated together); ``run_until_quiet`` lets every service consume
until none has anything left, in the same consumer loop the real services
run. Nothing waits: a batch is handled the moment it is asked for.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from confluent_kafka import Message
from confluent_kafka.schema_registry import SchemaRegistryClient

from orderflow.events.codec import EventCodec
from orderflow.events.ids import OrderId, time_ordered_id
from orderflow.events.registration import register_schemas
from orderflow.events.stamp import Stamp, fresh_stamp
from orderflow.memory.bus import MemoryBus, MemorySource
from orderflow.memory.storage import MemoryStorage
from orderflow.messaging.consumer import ConsumerLoop
from orderflow.messaging.processor import Processor
from orderflow.messaging.service import AnyService
from orderflow.services import CONSUMERS
from orderflow.services.order.catalogue import PRICES_CENTS
from orderflow.services.order.domain import place_order
from orderflow.services.order.projection import StatusView, Tracked
from orderflow.services.order.service import STATUS
from orderflow.services.order.status import Status
from orderflow.settings import Settings


class MemoryDeadLetters:
    def __init__(self, group: str) -> None:
        self.group = group
        self.sent: list[tuple[Message, str]] = []

    def send(self, message: Message, reason: str) -> None:
        self.sent.append((message, reason))

    def flush(self) -> None:
        return None


@dataclass
class Running:
    """One declared service, running in memory."""

    service: AnyService
    storage: MemoryStorage[Any, Any]
    source: MemorySource
    dead_letters: MemoryDeadLetters
    loop: ConsumerLoop


class MemorySystem:
    def __init__(
        self,
        settings: Settings | None = None,
        services: Sequence[AnyService] = CONSUMERS,
        stamps: Callable[[], Stamp] = fresh_stamp,
    ) -> None:
        self.settings = settings or Settings()
        client = SchemaRegistryClient.new_client({"url": "mock://orderflow-memory"})
        register_schemas(client, "mock://orderflow-memory")
        self.codec = EventCodec(client)
        self.bus = MemoryBus(self.codec)
        self._stamps = stamps
        self.running = {s.name: self._start(s) for s in services}

    def _start(self, service: AnyService) -> Running:
        storage = MemoryStorage[Any, Any](service.initial(self.settings), self.bus.publish)
        source = MemorySource(self.bus, service.topics)
        dead_letters = MemoryDeadLetters(service.group)
        processor = Processor(transactions=storage, handlers=service.handlers, stamps=self._stamps)
        loop = ConsumerLoop(
            source=source,
            codec=self.codec,
            process=processor,
            dead_letters=dead_letters,
            stop=threading.Event(),
        )
        return Running(service, storage, source, dead_letters, loop)

    def state(self, name: str) -> Any:
        """The named service's whole state (its view)."""
        return self.running[name].storage.store.state

    def place(self, user_id: str, items: Sequence[str]) -> OrderId:
        """What ``POST /order`` does: the order and its OrderCreated, together."""
        order_id = OrderId(time_ordered_id())
        order, created = place_order(order_id, user_id, items, PRICES_CENTS, self._stamps())
        orders: StatusView = self.state(STATUS.name)
        orders.tracked[order_id] = Tracked(order.status, frozenset())
        self.bus.publish([created])
        return order_id

    def status(self, order_id: OrderId) -> Status:
        orders: StatusView = self.state(STATUS.name)
        return orders.tracked[order_id].status

    def run_until_quiet(self, max_rounds: int = 1000) -> None:
        """Let each service consume in turn until a whole round finds nothing new."""
        for _ in range(max_rounds):
            busy = False
            for running in self.running.values():
                batch = running.source.next_batch()
                if batch:
                    running.loop.handle(batch)
                    busy = True
            if not busy:
                return
        raise RuntimeError(f"still busy after {max_rounds} rounds")

    def dead_letters(self) -> list[tuple[str, Message, str]]:
        """Every dead letter so far: the group that refused it, the message, the reason."""
        return [
            (r.dead_letters.group, message, reason)
            for r in self.running.values()
            for message, reason in r.dead_letters.sent
        ]
