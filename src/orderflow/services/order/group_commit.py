"""Group commit: orders placed at the same moment share one Postgres transaction.

A transaction of one order costs the HTTP process about 0.5 ms of CPU and
Postgres a commit; sixteen orders in one cost about a fifth of that each. No
caller waits for company: a submission starts a write at once when fewer than
``writers`` are in flight, and only submissions arriving while all writers are
busy are gathered into the next batch. Under light load every order is written
alone, as before; under heavy load batches grow by themselves.

Every order of a batch commits or none does, so each caller's answer stays
true: a ``201`` means its order and its event are in the database.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Generic, TypeVar

T = TypeVar("T")

Write = Callable[[list[T]], Awaitable[None]]


class GroupCommit(Generic[T]):
    def __init__(self, write: Write[T], writers: int, max_batch: int) -> None:
        if writers < 1 or max_batch < 1:
            raise ValueError("writers and max_batch must be at least 1")
        self._write = write
        self._writers = writers
        self._max_batch = max_batch
        self._pending: list[tuple[T, asyncio.Future[None]]] = []
        # Counted by hand, not by live tasks: a finished writer's done-callback
        # runs a loop turn late, and a submission in between would find no writer.
        self._in_flight = 0
        self._writer_tasks: set[asyncio.Task[None]] = set()

    async def submit(self, item: T) -> None:
        """Return once ``item`` is committed; raise what its batch's write raised."""
        committed = asyncio.get_running_loop().create_future()
        self._pending.append((item, committed))
        if self._in_flight < self._writers:
            self._in_flight += 1
            # A task of its own: a caller that goes away (a cancelled request)
            # must not cancel the write it shares with others.
            writer = asyncio.create_task(self._drain())
            self._writer_tasks.add(writer)
            writer.add_done_callback(self._writer_tasks.discard)
        await committed

    async def _drain(self) -> None:
        batch: list[tuple[T, asyncio.Future[None]]] = []
        try:
            while self._pending:
                batch = self._pending[: self._max_batch]
                del self._pending[: self._max_batch]
                try:
                    await self._write([item for item, _ in batch])
                except Exception as error:
                    _settle(batch, error)
                else:
                    _settle(batch, None)
        except BaseException:
            # Cancelled (the process is stopping): no caller may wait forever.
            for _, committed in [*batch, *self._pending]:
                committed.cancel()
            self._pending.clear()
            raise
        finally:
            self._in_flight -= 1


def _settle(batch: list[tuple[T, asyncio.Future[None]]], error: Exception | None) -> None:
    for _, committed in batch:
        if committed.done():  # its caller was cancelled
            continue
        if error is None:
            committed.set_result(None)
        else:
            committed.set_exception(error)
