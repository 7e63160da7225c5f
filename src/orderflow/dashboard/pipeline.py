"""The pipeline the dashboard draws, and the verdicts on its parts: pure.

The nodes and edges are derived from the declarations (``orderflow.services.SERVICES``):
each service, the event types it ``emits`` (their ``.topic``) and the topics it
consumes. A service declared tomorrow appears on the page without a change here.
The verdicts (is a part red, and why) are functions of what was already fetched
(sources.py), like the snapshot built from them (snapshot.py): all tested in memory.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum, StrEnum, auto

from orderflow.messaging.service import AnyService, Declared, HttpService, Service
from orderflow.stack.connector import ConnectorState

ENTRY_ROUTE = ("POST", "/order")
"""The route that starts every order's journey: an HTTP front's rate and latency."""
OUTBOX = "outbox"
CONNECTOR = "connector"
RUNNING = "RUNNING"

# Lag is "growing" when it rose over the last LAG_WINDOW_S by more than this many
# records or this share of what it was, whichever is more: a consumer that keeps up
# wobbles by a batch or two between scrapes, one that falls behind climbs steadily.
LAG_WINDOW_S = 30
LAG_GROWTH_FLOOR = 100
LAG_GROWTH_SHARE = 0.2


class Kind(StrEnum):
    """How a node is drawn."""

    SERVICE = "service"
    DATABASE = "database"
    CONNECTOR = "connector"
    TOPIC = "topic"


class Part(Enum):
    """Which numbers a node shows."""

    HTTP_FRONT = auto()
    """A service's HTTP API: the rate and latency of ``ENTRY_ROUTE``."""
    CONSUMER = auto()
    """A consumer group: events handled per second, its lag, the time per event."""
    OUTBOXES = auto()
    CONNECTOR = auto()
    """Debezium's events seen per second, how far behind the WAL, the connector's state."""
    TOPIC = auto()
    """Messages in per second; the outbox delay of its events (decision → consumer)."""


@dataclass(frozen=True)
class Node:
    id: str
    kind: Kind
    part: Part
    label: str
    detail: str | None = None
    service: str | None = None
    """The declared service whose process this is: its readiness, its ``service`` label."""
    group: str | None = None
    topic: str | None = None


@dataclass(frozen=True)
class Pipeline:
    nodes: tuple[Node, ...]
    edges: tuple[tuple[str, str], ...]
    """(from, to) node ids."""


def pipeline(services: Sequence[Declared], connector_name: str) -> Pipeline:
    """Every declared service, the outboxes they write, the connector, and each topic, in
    the order the data flows: what is emitted first, then what is only consumed."""
    fronts = [s for s in services if isinstance(s, HttpService)]
    consumers = [s for s in services if isinstance(s, Service)]
    topics = list(dict.fromkeys(
        [t.topic for s in services for t in s.emits] + [t for s in consumers for t in s.topics]
    ))  # fmt: skip
    method, route = ENTRY_ROUTE
    nodes = [
        *(
            Node(s.name, Kind.SERVICE, Part.HTTP_FRONT, s.title, f"{method} {route}", s.name)
            for s in fronts
        ),
        Node(OUTBOX, Kind.DATABASE, Part.OUTBOXES, "Postgres outboxes",
             ", ".join(dict.fromkeys(s.schema for s in services if s.emits))),
        Node(CONNECTOR, Kind.CONNECTOR, Part.CONNECTOR, "outbox connector", connector_name),
        *(Node(t, Kind.TOPIC, Part.TOPIC, t, None, topic=t) for t in topics),
        *(_consumer(s) for s in consumers),
    ]  # fmt: skip
    edges = [
        *((s.name, OUTBOX) for s in services if s.emits),
        (OUTBOX, CONNECTOR),
        *((CONNECTOR, t) for t in dict.fromkeys(t.topic for s in services for t in s.emits)),
        *((t, s.name) for t in topics for s in consumers if t in s.topics),
    ]
    return Pipeline(tuple(nodes), tuple(edges))


def _consumer(service: AnyService) -> Node:
    return Node(
        service.name,
        Kind.SERVICE,
        Part.CONSUMER,
        service.title,
        f"group {service.group}",
        service.name,
        group=service.group,
    )


@dataclass(frozen=True)
class Answer:
    """What one process said on ``/readyz``: ready or not, and the checks that failed."""

    ready: bool
    reason: str | None = None


@dataclass(frozen=True)
class Readiness:
    instances: int
    """The processes of the service that answered."""
    ready: bool
    reason: str | None


def readiness(answers: Sequence[Answer | None]) -> Readiness:
    """A service's readiness from each of its processes' answers (None: no answer): ready
    when one answers at least and every one that answers is ready."""
    answered = [a for a in answers if a is not None]
    if not answered:
        return Readiness(0, False, "not answering on /readyz")
    not_ready = [a for a in answered if not a.ready]
    if not_ready:
        return Readiness(len(answered), False, not_ready[0].reason or "not ready")
    return Readiness(len(answered), True, None)


def lag_growing(now: float | None, before: float | None) -> bool:
    """Did the lag rise over the window by more than max(floor, share of what it was)?"""
    if now is None or before is None:
        return False
    return now - before > max(LAG_GROWTH_FLOOR, LAG_GROWTH_SHARE * before)


def connector_verdict(found: ConnectorState | str) -> tuple[str | None, str | None]:
    """The state to show (the connector's, or its first task's that is not RUNNING) and
    why it is not RUNNING; ``found`` is what Connect said, or why it said nothing."""
    if isinstance(found, str):
        return None, found
    if found.connector != RUNNING:
        return found.connector, _first_line(found.trace) or f"connector {found.connector}"
    if not found.tasks:
        return "UNASSIGNED", "no task is running yet"
    for number, task in enumerate(found.tasks):
        if task != RUNNING:
            return task, f"task {number} {task}" + (
                f": {line}" if (line := _first_line(found.trace)) else ""
            )
    return RUNNING, None


def _first_line(trace: str | None) -> str | None:
    return trace.strip().splitlines()[0] if trace and trace.strip() else None
