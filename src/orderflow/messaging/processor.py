"""Applies a batch of events in one Postgres transaction: inbox, effects, outbox."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, Generic, Protocol, TypeVar, runtime_checkable

import psycopg
from psycopg.rows import TupleRow
from psycopg_pool import ConnectionPool

from orderflow.events.model import Event
from orderflow.messaging.inbox import Inbox
from orderflow.messaging.outbox import Outbox
from orderflow.messaging.unit import Unit

S = TypeVar("S")

Handler = Callable[[Any, Unit[S]], None]
"""Handles one event type; the first argument is an event of the type it is keyed by."""


@runtime_checkable
class BatchStore(Protocol):
    """A store that reads a whole batch up front and writes it back at the end."""

    def prepare(self, events: Sequence[Event]) -> None: ...
    def flush(self) -> None: ...


class Processor(Generic[S]):
    def __init__(
        self,
        *,
        pool: ConnectionPool,
        inbox: Inbox,
        outbox: Outbox,
        handlers: Mapping[type[Event], Handler[S]],
        store: Callable[[psycopg.Cursor[TupleRow]], S],
        after_commit: Callable[[Sequence[Event]], None] | None = None,
    ) -> None:
        self._pool = pool
        self._inbox = inbox
        self._outbox = outbox
        self._handlers = handlers
        self._store = store
        self._after_commit = after_commit

    def __call__(self, events: Sequence[Event]) -> None:
        relevant = list({e.event_id: e for e in events if type(e) in self._handlers}.values())
        if not relevant:
            return
        with self._pool.connection() as conn, conn.transaction(), conn.cursor() as cur:
            # The inbox mark, the state change and the outbox rows commit together
            # or not at all: a crash before commit leaves the event unprocessed (it
            # is redelivered and handled once); after commit, redelivery finds the
            # mark and does nothing, and the emitted events are in the WAL for sure.
            fresh = self._inbox.claim(cur, [e.event_id for e in relevant])
            store = self._store(cur)
            todo = [e for e in relevant if e.event_id in fresh]
            if isinstance(store, BatchStore):
                store.prepare(todo)
            unit = Unit(store)
            for event in todo:
                self._handlers[type(event)](event, unit)
            if isinstance(store, BatchStore):
                store.flush()
            self._outbox.write(cur, unit.emitted)
        if self._after_commit is not None:
            self._after_commit(relevant)
