"""Placing orders over HTTP: open loop at a rate, or closed loop with N callers."""

from __future__ import annotations

import asyncio
import itertools
import time
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, replace

import aiohttp

from orderflow.bench.clock import Clock
from orderflow.bench.records import Placement
from orderflow.bench.schedule import open_loop_offsets
from orderflow.services.order.status import TERMINAL

# Places order number ``index``, due at ``due`` (monotonic seconds).
Send = Callable[[int, float], Coroutine[None, None, Placement]]
Payload = Callable[[int], dict[str, object]]


def sender(
    client: aiohttp.ClientSession,
    payload: Payload,
    clock: Clock,
    accepted: Callable[[str], None],
    poll: StatusPoll | None = None,
) -> Send:
    """A ``Send`` that POSTs /order and hands every accepted order id to ``accepted``;
    with a ``poll``, it then polls the order's status as its client would."""

    async def send(index: int, due: float) -> Placement:
        status: int | None = None
        order_id: str | None = None
        error: str | None = None
        try:
            async with client.post("/order", json=payload(index)) as response:
                status = response.status
                if status == 201:
                    order_id = str((await response.json())["orderId"])
                    accepted(order_id)
                else:
                    error = f"HTTP {status}"
        except (aiohttp.ClientError, TimeoutError) as failure:
            error = type(failure).__name__
        placed = Placement(index, clock.wall(due), clock.now(), status, order_id, error)
        if poll is None or order_id is None:
            return placed
        seen_at, polls = await poll.until_terminal(client, order_id, clock)
        return replace(placed, seen_terminal_at=seen_at, status_polls=polls)

    return send


@dataclass(frozen=True)
class StatusPoll:
    """A client that asks ``GET /order/status`` right after its POST, then every
    ``every_s``, until the status is terminal or ``give_up_s`` have passed."""

    every_s: float
    give_up_s: float

    async def until_terminal(
        self, client: aiohttp.ClientSession, order_id: str, clock: Clock
    ) -> tuple[float | None, int]:
        """When it first read a terminal status (None if never), and how many polls it sent."""
        give_up_at = time.monotonic() + self.give_up_s
        polls = 0
        while True:
            polls += 1
            if await _is_terminal(client, order_id):
                return clock.now(), polls
            if time.monotonic() + self.every_s > give_up_at:
                return None, polls
            # The client's own pace between two questions, not a wait for a condition.
            await asyncio.sleep(self.every_s)


async def _is_terminal(client: aiohttp.ClientSession, order_id: str) -> bool:
    try:
        async with client.get("/order/status", params={"orderId": order_id}) as response:
            if response.status != 200:
                return False  # not visible yet (404), or the service busy: ask again
            return str((await response.json())["status"]) in TERMINAL
    except (aiohttp.ClientError, TimeoutError):
        return False


async def open_loop(send: Send, rate_per_s: float, duration_s: float) -> list[Placement]:
    """Send at the scheduled times whatever the answers do; see ``open_loop_offsets``."""
    count = len(open_loop_offsets(rate_per_s, duration_s))
    return await open_loop_while(send, rate_per_s, lambda index: index < count)


async def open_loop_while(
    send: Send, rate_per_s: float, more: Callable[[int], bool]
) -> list[Placement]:
    """The open loop for as long as ``more(index)`` says that order ``index`` is to go:
    the chaos run's load goes on until its last fault has been met."""
    start = time.monotonic()
    in_flight: list[asyncio.Task[Placement]] = []
    for index in itertools.count():
        if not more(index):
            break
        due = start + index / rate_per_s
        delay = due - time.monotonic()
        if delay > 0:
            await asyncio.sleep(delay)
        in_flight.append(asyncio.create_task(send(index, due)))
    return list(await asyncio.gather(*in_flight))


async def closed_loop(send: Send, concurrency: int, duration_s: float) -> list[Placement]:
    """``concurrency`` callers, each placing its next order as soon as the last is answered."""
    if concurrency < 1:
        raise ValueError("the concurrency must be at least 1")
    stop_at = time.monotonic() + duration_s
    numbers = itertools.count()
    placed: list[Placement] = []

    async def caller() -> None:
        while (now := time.monotonic()) < stop_at:
            placed.append(await send(next(numbers), now))

    await asyncio.gather(*(caller() for _ in range(concurrency)))
    return sorted(placed, key=lambda placement: placement.index)
