"""The registry's use cases: reads from the Store, writes through the log.

Why one lock: an id is chosen from the Store before its record is written, so
two registrations deciding at once would both pick ``max_id + 1``. Holding
one asyncio lock from "decide" until "our record is back from the topic"
makes the decisions of this process strictly sequential, each seeing the one
before it.

Two processes on one topic have no shared lock. Each catches up to the end of
the topic before deciding, which makes a collision unlikely, and the Store
applies "first record wins" for ids and versions in topic order, which every
process sees alike; the loser sees its record refused and decides again. What
we do not guarantee for two writers: after compaction, a refused record for
the very same (subject, version) key can shadow the winner. Run one writer
per topic (as Confluent does with its leader election).
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import Callable, Sequence
from typing import TypeVar

from orderflow.registry import commands
from orderflow.registry.errors import ErrorCode, RegistryError
from orderflow.registry.log import SchemaLog
from orderflow.registry.records import Record
from orderflow.registry.store import Store

_T = TypeVar("_T")
ATTEMPTS = 8
BACKOFF_S = 0.005


class Registry:
    def __init__(self, log: SchemaLog) -> None:
        self.log = log
        self._lock = asyncio.Lock()

    @property
    def store(self) -> Store:
        return self.log.store

    async def register(self, request: commands.Registration) -> int:
        # The common case (a producer re-registering what is there) needs no
        # lock: the answer is already in memory.
        records, schema_id = commands.register(self.store, request)
        if not records:
            return schema_id
        return await self._write(lambda: commands.register(self.store, request))

    async def _write(self, decide: Callable[[], tuple[Sequence[Record], _T]]) -> _T:
        async with self._lock:
            for attempt in range(ATTEMPTS):
                await self.log.catch_up()
                records, answer = decide()
                if not records or all(await self.log.append(records)):
                    return answer
                # Lost a race to another registry: back off a random while so
                # the two stop choosing the same next id in lockstep.
                await asyncio.sleep(random.uniform(0, BACKOFF_S * 2**attempt))
        raise RegistryError(
            ErrorCode.STORE_ERROR, "Another registry writing the same topic kept winning the race"
        )

    async def delete_version(self, subject: str, version: int, permanent: bool) -> int:
        return await self._write(
            lambda: commands.delete_version(self.store, subject, version, permanent)
        )

    async def delete_subject(self, subject: str, permanent: bool) -> list[int]:
        return await self._write(lambda: commands.delete_subject(self.store, subject, permanent))

    async def apply(self, decide: Callable[[], tuple[Sequence[Record], _T]]) -> _T:
        """Any other write (config, mode): decide under the lock, append, answer."""
        return await self._write(decide)
