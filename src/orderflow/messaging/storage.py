"""What the processor needs from storage: one transaction per batch.

In it, the inbox says which events are new, the service's store loads the
view a batch needs and applies its changes, and the outbox records the
events the batch emits. Postgres (postgres.py) and memory (orderflow.memory)
both provide it, so one processor runs either.
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import AbstractContextManager
from typing import Protocol, TypeVar

from orderflow.events.model import Event

V_co = TypeVar("V_co", covariant=True)
C_contra = TypeVar("C_contra", contravariant=True)


class Store(Protocol[V_co, C_contra]):
    """A service's state as one batch sees it: loaded at its start, changed at its end."""

    def load(self, events: Sequence[Event]) -> V_co:
        """The view ``events`` need, locked until the transaction ends."""
        ...

    def apply(self, changes: Sequence[C_contra]) -> None:
        """Write ``changes``, in the order they were decided."""
        ...


class Transaction(Protocol[V_co, C_contra]):
    @property
    def store(self) -> Store[V_co, C_contra]: ...

    def claim(self, event_ids: Sequence[str]) -> set[str]:
        """Mark ``event_ids`` processed; those not processed before."""
        ...

    def record(self, events: Sequence[Event]) -> None:
        """Put ``events`` in the outbox, to be published once this commits."""
        ...


class Transactions(Protocol[V_co, C_contra]):
    def begin(self) -> AbstractContextManager[Transaction[V_co, C_contra]]:
        """A transaction that commits when the block ends and rolls back if it raises."""
        ...
