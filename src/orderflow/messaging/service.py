"""A service, declared once: what it is called, what it consumes, where its state lives.

Two kinds: a ``Service`` consumes topics as a consumer group (the workers and
the status projection), an ``HttpService`` answers HTTP and consumes nothing
(the OrderService). The runtime (runtime.py) runs any declared one; the CLI,
the launcher, chaos and bench read the same declarations
(``orderflow.services.SERVICES``), so a service's name and consumer group are
spelled in its declaration and nowhere else.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from orderflow.events.model import EventType, type_name
from orderflow.messaging.decision import Handlers
from orderflow.messaging.storage import Store

if TYPE_CHECKING:  # the declarations are read by the CLI, which must start fast
    from orderflow.events.codec import EventCodec
    from orderflow.messaging.postgres import Cursor
    from orderflow.observability.readiness import Readiness
    from orderflow.settings import Settings

V = TypeVar("V")
C = TypeVar("C")


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
    emits: tuple[EventType, ...] = ()
    """The event types it writes to its outbox, each published on its topic by Debezium."""

    @property
    def consumes(self) -> frozenset[str]:
        """The names of the event types it handles (and records in its inbox)."""
        return frozenset(type_name(t) for t in self.handlers.event_types)


AnyService = Service[Any, Any]


@dataclass(frozen=True)
class HttpService:
    """A service that answers over HTTP and consumes nothing: its own process (or several,
    on one port), started once every consumer is ready."""

    name: str
    title: str
    schema: str
    """The Postgres schema it writes, and whose outbox holds the events it emits."""
    role: Callable[[Settings], str]
    port: Callable[[Settings], int]
    """The port its API is served on (shared by its instances); ``/healthz``, ``/readyz``
    and ``/metrics`` answer there too."""
    serve: Callable[[HttpService, Settings, EventCodec, Readiness], None]
    """Serve the API until SIGTERM or SIGINT, answering ``/readyz`` from the ``Readiness``."""
    emits: tuple[EventType, ...] = ()


Declared = HttpService | AnyService
"""Any declared service: what `orderflow run`, `up --scale` and `status` name."""
