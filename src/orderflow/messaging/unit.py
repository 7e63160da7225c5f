"""A unit of work as a handler sees it: the service's store, and what it emits."""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

from orderflow.events.model import Event
from orderflow.events.stamp import Stamp, fresh_stamp

S_co = TypeVar("S_co", covariant=True)


class Unit(Generic[S_co]):
    def __init__(self, store: S_co, stamps: Callable[[], Stamp] = fresh_stamp) -> None:
        self._store = store
        self.emitted: list[Event] = []
        self._stamps = stamps

    @property
    def store(self) -> S_co:
        return self._store

    def stamp(self) -> Stamp:
        """A fresh event id and the current time, for an event about to be emitted."""
        return self._stamps()

    def emit(self, event: Event) -> None:
        self.emitted.append(event)
