"""Applies a batch of events in one transaction: claim → load → decide → apply → outbox."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any, Generic, TypeVar

from orderflow.events.model import Event
from orderflow.events.stamp import Stamp, fresh_stamp
from orderflow.messaging.decision import Handlers, View
from orderflow.messaging.storage import Transactions

V = TypeVar("V", bound=View[Any])
C = TypeVar("C")

Outcomes = Callable[[Sequence[Event], Sequence[Event], Iterable[str]], None]
"""Told of each committed batch: the events received, those handled here, and the ids
the inbox found fresh (the others were duplicates)."""


class Processor(Generic[V, C]):
    def __init__(
        self,
        *,
        transactions: Transactions[V, C],
        handlers: Handlers[V, C],
        stamps: Callable[[], Stamp] = fresh_stamp,
        outcomes: Outcomes | None = None,
    ) -> None:
        self._transactions = transactions
        self._handlers = handlers
        self._stamps = stamps
        self._outcomes = outcomes

    def __call__(self, events: Sequence[Event]) -> None:
        relevant = list({e.event_id: e for e in events if self._handlers.handles(e)}.values())
        if not relevant:
            if self._outcomes is not None:
                self._outcomes(events, relevant, ())
            return
        with self._transactions.begin() as tx:
            # The inbox mark, the state change and the outbox rows commit together
            # or not at all: a crash before commit leaves the event unprocessed (it
            # is redelivered and handled once); after commit, redelivery finds the
            # mark and does nothing, and the emitted events are in the WAL for sure.
            fresh = tx.claim([e.event_id for e in relevant])
            todo = [e for e in relevant if e.event_id in fresh]
            if todo:
                changes, emitted = self._decide(todo, tx.store.load(todo))
                tx.store.apply(changes)
                tx.record(emitted)
        if self._outcomes is not None:
            self._outcomes(events, relevant, fresh)

    def _decide(self, events: Sequence[Event], view: V) -> tuple[list[C], list[Event]]:
        changes: list[C] = []
        emitted: list[Event] = []
        for event in events:
            decision = self._handlers.decide(event, view, self._stamps())
            for change in decision.changes:
                view.fold(change)  # the batch's next events see this one's effect
            changes.extend(decision.changes)
            if decision.event is not None:
                emitted.append(decision.event)
        return changes, emitted
