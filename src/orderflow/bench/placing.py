"""Placing orders over HTTP: open loop at a rate, or closed loop with N callers."""

from __future__ import annotations

import asyncio
import itertools
import time
from collections.abc import Callable, Coroutine

import aiohttp

from orderflow.bench.clock import Clock
from orderflow.bench.records import Placement
from orderflow.bench.schedule import open_loop_offsets

# Places order number ``index``, due at ``due`` (monotonic seconds).
Send = Callable[[int, float], Coroutine[None, None, Placement]]
Payload = Callable[[int], dict[str, object]]


def sender(
    client: aiohttp.ClientSession, payload: Payload, clock: Clock, accepted: Callable[[str], None]
) -> Send:
    """A ``Send`` that POSTs /order and hands every accepted order id to ``accepted``."""

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
        return Placement(index, clock.wall(due), clock.now(), status, order_id, error)

    return send


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
