"""The processor's storage on Postgres: a pooled connection, one transaction a batch."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Generic, TypeAlias, TypeVar

from orderflow.events.model import Event
from orderflow.messaging.storage import Store
from orderflow.observability.trace_context import batch_traceparents

if TYPE_CHECKING:
    # Only for the annotations: a store module is imported by its service's
    # declaration, which the CLI reads, and psycopg alone takes 0.3 s to import.
    import psycopg
    from psycopg.rows import TupleRow
    from psycopg_pool import ConnectionPool

    from orderflow.messaging.inbox import Inbox
    from orderflow.messaging.outbox import Outbox

    Cursor: TypeAlias = psycopg.Cursor[TupleRow]

V = TypeVar("V")
C = TypeVar("C")


class CursorStore:
    """A service's Postgres store: bound to the cursor of one batch's transaction."""

    def __init__(self, cur: Cursor) -> None:
        self._cur = cur


class PostgresTransaction(Generic[V, C]):
    def __init__(self, cur: Cursor, inbox: Inbox, outbox: Outbox, store: Store[V, C]) -> None:
        self._cur = cur
        self._inbox = inbox
        self._outbox = outbox
        self._store = store

    @property
    def store(self) -> Store[V, C]:
        return self._store

    def claim(self, event_ids: Sequence[str]) -> set[str]:
        return self._inbox.claim(self._cur, event_ids)

    def record(self, events: Sequence[Event]) -> None:
        # The consumer loop set the trace each order's events go on with.
        self._outbox.write(self._cur, events, batch_traceparents())


class PostgresTransactions(Generic[V, C]):
    def __init__(
        self,
        pool: ConnectionPool,
        inbox: Inbox,
        outbox: Outbox,
        store: Callable[[Cursor], Store[V, C]],
    ) -> None:
        self._pool = pool
        self._inbox = inbox
        self._outbox = outbox
        self._store = store

    @contextmanager
    def begin(self) -> Iterator[PostgresTransaction[V, C]]:
        with self._pool.connection() as conn, conn.transaction(), conn.cursor() as cur:
            yield PostgresTransaction(cur, self._inbox, self._outbox, self._store(cur))
