"""A service's storage in memory: its state, its inbox and its outbox, transactional.

A transaction works on the live state and keeps a copy of it from its
start; if the block raises, the copy is put back, so a failed batch leaves
no effect and no inbox mark, as a rolled-back Postgres transaction would.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, Generic, TypeVar

from orderflow.events.model import Event
from orderflow.messaging.decision import View

V = TypeVar("V", bound=View[Any])
C = TypeVar("C")


class MemoryStore(Generic[V, C]):
    """The whole state is the view: ``load`` hands out a copy, ``apply`` folds into it."""

    def __init__(self, state: V) -> None:
        self.state = state

    def load(self, events: Sequence[Event]) -> V:
        # A copy: the processor folds the batch's changes into the view it gets,
        # and the state must take them once, in apply.
        return copy.deepcopy(self.state)

    def apply(self, changes: Sequence[C]) -> None:
        for change in changes:
            self.state.fold(change)


class MemoryTransaction(Generic[V, C]):
    def __init__(self, storage: MemoryStorage[V, C]) -> None:
        self._storage = storage
        self.recorded: list[Event] = []

    @property
    def store(self) -> MemoryStore[V, C]:
        return self._storage.store

    def claim(self, event_ids: Sequence[str]) -> set[str]:
        fresh = set(event_ids) - self._storage.inbox
        self._storage.inbox |= fresh
        return fresh

    def record(self, events: Sequence[Event]) -> None:
        self.recorded.extend(events)


class MemoryStorage(Generic[V, C]):
    """One service's state, inbox and outbox; ``publish`` gets what each commit emitted."""

    def __init__(self, state: V, publish: Callable[[Sequence[Event]], None]) -> None:
        self.store = MemoryStore[V, C](state)
        self.inbox: set[str] = set()
        self._publish = publish

    @contextmanager
    def begin(self) -> Iterator[MemoryTransaction[V, C]]:
        state, inbox = copy.deepcopy(self.store.state), set(self.inbox)
        tx = MemoryTransaction(self)
        try:
            yield tx
        except BaseException:
            self.store.state, self.inbox = state, inbox
            raise
        # Committed: the connector would now find the outbox rows in the WAL.
        self._publish(tx.recorded)
