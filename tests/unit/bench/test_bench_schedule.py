"""The open-loop schedule, and both loops driven by a fake send (no server)."""

from __future__ import annotations

import asyncio
import itertools

import pytest

from orderflow.bench.placing import closed_loop, open_loop
from orderflow.bench.records import Placement
from orderflow.bench.schedule import open_loop_offsets


def test_offsets_are_evenly_spaced_at_the_rate() -> None:
    offsets = open_loop_offsets(4, 2)
    assert offsets == [0.0, 0.25, 0.5, 0.75, 1.0, 1.25, 1.5, 1.75]


def test_a_fractional_rate_rounds_the_count() -> None:
    assert len(open_loop_offsets(2.5, 3)) == 8  # 7.5 rounds to even


@pytest.mark.parametrize(("rate", "duration"), [(0, 1), (-5, 1), (10, 0)])
def test_a_schedule_needs_a_positive_rate_and_duration(rate: float, duration: float) -> None:
    with pytest.raises(ValueError, match="positive"):
        open_loop_offsets(rate, duration)


def _placement(index: int, due: float) -> Placement:
    return Placement(index, due, due, 201, f"order-{index}", None)


def test_open_loop_does_not_wait_for_answers() -> None:
    due_times: list[float] = []

    async def run() -> list[Placement]:
        # No answer comes until every request has been sent: a loop that waited for
        # answers before sending the next would never finish.
        all_sent = asyncio.Event()

        async def send(index: int, due: float) -> Placement:
            due_times.append(due)
            if len(due_times) == 10:
                all_sent.set()
            await all_sent.wait()
            return _placement(index, due)

        return await asyncio.wait_for(open_loop(send, rate_per_s=100, duration_s=0.1), 10)

    placed = asyncio.run(run())

    assert [p.index for p in placed] == list(range(10))
    # Each due time comes from the schedule, not from when the previous send went out.
    steps = [round(b - a, 6) for a, b in itertools.pairwise(due_times)]
    assert steps == [0.01] * 9


def test_closed_loop_keeps_n_callers_busy_until_the_time_is_up() -> None:
    busy = 0
    most = 0

    async def send(index: int, due: float) -> Placement:
        nonlocal busy, most
        busy += 1
        most = max(most, busy)
        await asyncio.sleep(0.01)
        busy -= 1
        return _placement(index, due)

    placed = asyncio.run(closed_loop(send, concurrency=3, duration_s=0.1))

    assert most == 3
    assert [p.index for p in placed] == list(range(len(placed)))
    assert len(placed) >= 6


def test_closed_loop_needs_a_caller() -> None:
    async def send(index: int, due: float) -> Placement:
        return _placement(index, due)

    with pytest.raises(ValueError, match="at least 1"):
        asyncio.run(closed_loop(send, concurrency=0, duration_s=1))
