"""Following one order live: its status changes as Server-Sent Events."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator

from orderflow.services.order.status import TERMINAL
from orderflow.services.order.store import HistoryEntry
from orderflow.services.order.watchers import StatusWatchers
from orderflow.services.order.web.ports import Orders

_KEEPALIVE_S = 15.0


def _event(order_id: str, entry: HistoryEntry) -> str:
    data = {"orderId": order_id, "status": entry.status, "at": entry.occurred_at.isoformat()}
    return f"event: status\ndata: {json.dumps(data)}\n\n"


async def status_events(
    order_id: str, orders: Orders, watchers: StatusWatchers, timeout_s: float
) -> AsyncIterator[str]:
    """Every status of the order so far, then each new one, until terminal or ``timeout_s``."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout_s
    sent: set[str] = set()
    with watchers.watch(order_id) as changed:
        while True:
            # Cleared before reading, so a change that lands during the read still wakes us.
            changed.clear()
            view = await orders.find(order_id)
            if view is None:
                return
            for entry in view.history:
                if entry.status not in sent:
                    sent.add(entry.status)
                    yield _event(order_id, entry)
            remaining = deadline - loop.time()
            if view.order.status in TERMINAL or remaining <= 0:
                return
            try:
                await asyncio.wait_for(changed.wait(), min(remaining, _KEEPALIVE_S))
            except TimeoutError:
                yield ": keep-alive\n\n"
