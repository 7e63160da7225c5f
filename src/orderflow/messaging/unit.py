"""A unit of work as a handler sees it: the service's store, and what it emits."""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

from orderflow.events.model import Event
from orderflow.events.stamp import Stamp, fresh_stamp

S = TypeVar("S")


class Unit(Generic[S]):
    def __init__(self, store: S, stamps: Callable[[], Stamp] = fresh_stamp) -> None:
        self.store = store
        self.emitted: list[Event] = []
        self._stamps = stamps

    def stamp(self) -> Stamp:
        """A fresh event id and the current time, for an event about to be emitted."""
        return self._stamps()

    def emit(self, event: Event) -> None:
        self.emitted.append(event)
