"""Placing the planned orders at a steady rate, with the benchmark's open loop.

The rate holds whatever the answers do: while the OrderService or Postgres is
down, requests fail and the clients go on, as real clients would.
"""

from __future__ import annotations

from collections.abc import Callable

import aiohttp

from orderflow.bench.clock import Clock
from orderflow.bench.placing import open_loop_while, sender
from orderflow.bench.records import Placement
from orderflow.chaos.plan import Planned


async def place_all(
    base_url: str,
    planned: list[Planned],
    rate_per_s: float,
    timeout_s: float,
    more: Callable[[int], bool] = lambda _: True,
) -> list[Placement]:
    """The planned orders at the rate, for as long as ``more`` says (and there are some)."""

    def payload(index: int) -> dict[str, object]:
        order = planned[index]
        return {"userId": order.user_id, "items": list(order.items)}

    async with aiohttp.ClientSession(
        base_url=base_url,
        connector=aiohttp.TCPConnector(limit=200),
        timeout=aiohttp.ClientTimeout(total=timeout_s),
    ) as client:
        send = sender(client, payload, Clock(), lambda _: None)
        return await open_loop_while(
            send, rate_per_s, lambda index: index < len(planned) and more(index)
        )


# Failures that show the request never reached the server: nothing can have been placed.
NOT_SENT = frozenset({"ClientConnectorError"})
