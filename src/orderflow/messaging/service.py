"""A service, declared once: what it is called, what it consumes, where its state lives.

The runtime (runtime.py) runs any declared service; the CLI, the launcher,
chaos and bench read the same declarations (``orderflow.services.SERVICES``),
so a service's name and consumer group are spelled here and nowhere else.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from orderflow.events.model import EventType, type_name
from orderflow.messaging.decision import Handlers
from orderflow.messaging.processor import AfterCommit
from orderflow.messaging.storage import Store

if TYPE_CHECKING:  # the declarations are read by the CLI, which must start fast
    from orderflow.events.codec import EventCodec
    from orderflow.messaging.postgres import Cursor
    from orderflow.observability.readiness import Readiness
    from orderflow.settings import Settings

V = TypeVar("V")
C = TypeVar("C")

Consume = Callable[[threading.Event, AfterCommit | None], None]
"""Runs the service's consumer until the event is set; the callback follows each commit."""


@dataclass(frozen=True)
class HttpFront:
    """A service whose API is served over HTTP, with its consumer running beside the server."""

    serve: Callable[[AnyService, Settings, EventCodec, Consume, Readiness], None]
    """Serve the service until SIGTERM or SIGINT, running ``Consume`` for as long, and
    answering ``/readyz`` from the ``Readiness``."""


@dataclass(frozen=True)
class Service(Generic[V, C]):
    name: str
    """How the CLI and the launcher call it: ``orderflow run <name>``, ``<name>.log``."""
    title: str
    """Its name in the original's terms, for people: ``InventoryService``."""
    group: str
    """Its Kafka consumer group, and the consumer its inbox records events for."""
    topics: tuple[str, ...]
    schema: str
    """The Postgres schema that holds its state, its inbox and its outbox."""
    role: Callable[[Settings], str]
    """The Postgres role it logs in as."""
    handlers: Handlers[V, C]
    store: Callable[[Cursor, Settings], Store[V, C]]
    """Its state on Postgres, for one transaction."""
    initial: Callable[[Settings], V]
    """Its state before any event, as a view: what the in-memory system starts from."""
    port: Callable[[Settings], int]
    """Its process's HTTP port: ``/healthz``, ``/readyz``, ``/metrics`` (and its API, if any)."""
    http: HttpFront | None = None
    emits: tuple[EventType, ...] = ()
    """The event types it writes to its outbox, each published on its topic by Debezium."""

    @property
    def consumes(self) -> frozenset[str]:
        """The names of the event types it handles (and records in its inbox)."""
        return frozenset(type_name(t) for t in self.handlers.event_types)


AnyService = Service[Any, Any]
