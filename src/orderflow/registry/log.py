"""The port between the registry and where its records live.

Two adapters: ``KafkaLog`` (the compacted ``_schemas`` topic) and
``MemoryLog`` (tests and a Kafka-less dev mode). Both fold what they read
into the same Store, and ``append`` returns only when the records have been
applied, so the caller's next read sees its own write.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from orderflow.registry.records import Record
from orderflow.registry.store import Store


class SchemaLog(Protocol):
    store: Store

    async def start(self) -> None:
        """Read the whole log into the store; return when caught up."""

    async def stop(self) -> None: ...

    async def catch_up(self) -> None:
        """Wait until every record written so far (by anyone) is in the store."""

    async def append(self, records: Sequence[Record]) -> list[bool]:
        """Write records in order; per record, whether the store accepted it."""


class MemoryLog:
    """A log kept in a list; pass one log's ``records`` to another to "restart"."""

    def __init__(self, records: list[Record] | None = None) -> None:
        self.store = Store()
        self.records: list[Record] = records if records is not None else []

    async def start(self) -> None:
        for record in self.records:
            self.store.apply(record)

    async def stop(self) -> None:
        return None

    async def catch_up(self) -> None:
        return None

    async def append(self, records: Sequence[Record]) -> list[bool]:
        self.records.extend(records)
        return [self.store.apply(r) for r in records]
