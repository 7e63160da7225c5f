"""Each service's ``emits`` (the AsyncAPI document's senders) is what its code emits.

The whole system runs in memory down the saga's three paths, each service's
handlers wrapped to note the type of every event a decision returns; what no
decision returned was placed by ``POST /order``, the HTTP front's.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from orderflow.events.model import EVENT_TYPES, Event, EventType
from orderflow.events.stamp import Stamp
from orderflow.events.topics import ALL_TOPICS
from orderflow.memory.system import MemorySystem
from orderflow.messaging.decision import Decision, Handlers
from orderflow.messaging.service import HttpService
from orderflow.services import CONSUMERS, SERVICES
from orderflow.settings import Settings


class Noting(Handlers[Any, Any]):
    """A service's own handlers, noting the type of each event its decisions emit."""

    def __init__(self, handlers: Handlers[Any, Any], emitted: set[EventType]) -> None:
        super().__init__()
        self._handlers = handlers
        self._emitted = emitted

    @property
    def event_types(self) -> frozenset[EventType]:
        return self._handlers.event_types

    def handles(self, event: Event) -> bool:
        return self._handlers.handles(event)

    def decide(self, event: Event, view: Any, stamp: Stamp) -> Decision[Any]:
        decision = self._handlers.decide(event, view, stamp)
        if decision.event is not None:
            self._emitted.add(type(decision.event))
        return decision


def test_each_service_emits_the_event_types_it_declares() -> None:
    emitted: dict[str, set[EventType]] = {s.name: set() for s in SERVICES}
    noted = [replace(s, handlers=Noting(s.handlers, emitted[s.name])) for s in CONSUMERS]
    rich = MemorySystem(Settings(payment_default_balance_cents=100_000), services=noted)
    broke = MemorySystem(Settings(payment_default_balance_cents=0), services=noted)

    rich.place("123", ["item1"])  # paid
    rich.place("123", ["item3"])  # out of stock
    broke.place("456", ["item2"])  # declined, then cancelled
    for system in (rich, broke):
        system.run_until_quiet()

    published = {type(e) for s in (rich, broke) for t in ALL_TOPICS for e in s.bus.events(t)}
    assert published == set(EVENT_TYPES)
    [front] = [s for s in SERVICES if isinstance(s, HttpService)]
    emitted[front.name] |= published - set().union(*emitted.values())
    assert emitted == {s.name: set(s.emits) for s in SERVICES}
