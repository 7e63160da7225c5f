"""GroupCommit: who shares a transaction, and what each caller is told."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from typing import Any

import pytest

from orderflow.services.order.group_commit import GroupCommit


class GatedWrites:
    """Records every batch; each write waits until the test opens the gate."""

    def __init__(self, failing: str | None = None) -> None:
        self.batches: list[list[str]] = []
        self.gate = asyncio.Event()
        self.written = asyncio.Event()
        self.failing = failing

    async def __call__(self, batch: list[str]) -> None:
        self.batches.append(batch)
        self.written.set()
        await self.gate.wait()
        if self.failing in batch:
            raise RuntimeError(f"write of {batch} failed")


def run(test: Callable[[], Coroutine[Any, Any, None]]) -> None:
    asyncio.run(asyncio.wait_for(test(), timeout=5))


async def until_started(writes: GatedWrites, count: int) -> None:
    while len(writes.batches) < count:
        writes.written.clear()
        await writes.written.wait()


def test_a_lone_submission_is_written_at_once_and_alone() -> None:
    async def scenario() -> None:
        writes = GatedWrites()
        writes.gate.set()
        await GroupCommit(writes, writers=2, max_batch=10).submit("a")
        assert writes.batches == [["a"]]

    run(scenario)


def test_submissions_while_every_writer_is_busy_share_the_next_transaction() -> None:
    async def scenario() -> None:
        writes = GatedWrites()
        group = GroupCommit(writes, writers=1, max_batch=10)
        first = asyncio.create_task(group.submit("a"))
        await until_started(writes, 1)
        later = [asyncio.create_task(group.submit(x)) for x in "bcd"]
        await asyncio.sleep(0)
        writes.gate.set()
        await asyncio.gather(first, *later)
        assert writes.batches == [["a"], ["b", "c", "d"]]

    run(scenario)


def test_a_batch_never_exceeds_max_batch() -> None:
    async def scenario() -> None:
        writes = GatedWrites()
        group = GroupCommit(writes, writers=1, max_batch=2)
        tasks = [asyncio.create_task(group.submit(x)) for x in "abcde"]
        await until_started(writes, 1)
        writes.gate.set()
        await asyncio.gather(*tasks)
        assert writes.batches == [["a", "b"], ["c", "d"], ["e"]]

    run(scenario)


def test_a_failed_write_fails_exactly_the_callers_of_its_batch() -> None:
    async def scenario() -> None:
        writes = GatedWrites(failing="b")
        group = GroupCommit(writes, writers=1, max_batch=2)
        tasks = {x: asyncio.create_task(group.submit(x)) for x in "abc"}
        await until_started(writes, 1)
        writes.gate.set()
        outcomes = await asyncio.gather(*tasks.values(), return_exceptions=True)
        failed = {x for x, outcome in zip(tasks, outcomes, strict=True) if outcome is not None}
        assert failed == {"a", "b"}
        assert writes.batches == [["a", "b"], ["c"]]

    run(scenario)


def test_a_caller_that_goes_away_does_not_cancel_the_write_it_shares() -> None:
    async def scenario() -> None:
        writes = GatedWrites()
        group = GroupCommit(writes, writers=1, max_batch=10)
        blocker = asyncio.create_task(group.submit("a"))
        await until_started(writes, 1)
        leaving = asyncio.create_task(group.submit("b"))
        staying = asyncio.create_task(group.submit("c"))
        await asyncio.sleep(0)
        leaving.cancel()
        writes.gate.set()
        await asyncio.gather(blocker, staying)
        assert leaving.cancelled()
        assert writes.batches == [["a"], ["b", "c"]]

    run(scenario)


def test_writers_run_side_by_side_up_to_their_number() -> None:
    async def scenario() -> None:
        writes = GatedWrites()
        group = GroupCommit(writes, writers=2, max_batch=10)
        tasks = [asyncio.create_task(group.submit("a"))]
        await until_started(writes, 1)
        tasks.append(asyncio.create_task(group.submit("b")))
        await until_started(writes, 2)
        tasks.append(asyncio.create_task(group.submit("c")))
        for _ in range(10):
            await asyncio.sleep(0)
        assert writes.batches == [["a"], ["b"]]  # c waits for a writer to be free
        writes.gate.set()
        await asyncio.gather(*tasks)
        assert writes.batches == [["a"], ["b"], ["c"]]

    run(scenario)


@pytest.mark.parametrize(("writers", "max_batch"), [(0, 1), (1, 0)])
def test_nonsense_sizes_are_refused(writers: int, max_batch: int) -> None:
    with pytest.raises(ValueError, match="at least 1"):
        GroupCommit(GatedWrites(), writers, max_batch)
