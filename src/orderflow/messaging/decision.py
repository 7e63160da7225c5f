"""Decisions: what a service does when an event arrives, as pure functions.

A decision reads the event and a view of the state it needs and returns the
changes to make and the event to emit; it performs no I/O and changes
nothing itself. The processor applies what it returns (see processor.py).
Each service ends its handlers module with a table of them, ``Handlers``,
built with ``on``, so that the type checker sees which event each decision
takes: ``on(PaymentDeclined, reserve_stock)`` fails mypy when
``reserve_stock`` takes an ``OrderCreated``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, Protocol, TypeVar, cast

from orderflow.events.model import Event, EventType
from orderflow.events.stamp import Stamp

C = TypeVar("C")
C_contra = TypeVar("C_contra", contravariant=True)
E = TypeVar("E", bound=Event)
V = TypeVar("V")


class NotYetVisible(Exception):
    """What an event refers to is not visible yet; handling it again shortly may succeed.

    Debezium can deliver an event a moment before the transaction that wrote it
    is visible to other sessions (the commit is in the WAL before the writer
    has finished committing), so a consumer reading that writer's rows may
    briefly not find them.
    """


@dataclass(frozen=True)
class Decision(Generic[C]):
    """What one event leads to: changes to the state, and at most one event to emit."""

    changes: tuple[C, ...] = ()
    event: Event | None = None


class View(Protocol[C_contra]):
    """The state a batch's decisions read, loaded by a store for that batch."""

    def fold(self, change: C_contra) -> None:
        """Take ``change`` in, so that the batch's later decisions see it."""
        ...


@dataclass(frozen=True)
class Rule(Generic[V, C]):
    event_type: EventType
    decide: Callable[[Any, V, Stamp], Decision[C]]


def on(event_type: type[E], decide: Callable[[E, V, Stamp], Decision[C]]) -> Rule[V, C]:
    """``decide`` is what happens when an event of ``event_type`` arrives."""
    # type[E] is one member of the Event union's types, which mypy cannot see.
    return Rule(cast(EventType, event_type), decide)


class Handlers(Generic[V, C]):
    """A service's table from event type to decision; events of other types are ignored."""

    def __init__(self, *rules: Rule[V, C]) -> None:
        self._decisions = {rule.event_type: rule.decide for rule in rules}
        if len(self._decisions) != len(rules):
            raise ValueError("an event type has two decisions")

    @property
    def event_types(self) -> frozenset[EventType]:
        return frozenset(self._decisions)

    def handles(self, event: Event) -> bool:
        return type(event) in self._decisions

    def decide(self, event: Event, view: V, stamp: Stamp) -> Decision[C]:
        return self._decisions[type(event)](event, view, stamp)
