"""Following placed orders to their terminal status, from the status table.

One query per tick for all open orders, instead of one request per order:
the system under test should spend its time on orders, not on being watched.
The query returns the full history of only those orders that became terminal
since the last tick, so its answer stays small however many are open; and it
asks about the oldest open orders only, so that its cost stays bounded when a
backlog builds. That delays no figure: times come from the table, not from
when the follower saw them.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import time

import psycopg

from orderflow.bench.records import Followed, Seen
from orderflow.services.order.status import TERMINAL

_TERMINAL = sorted(str(status) for status in TERMINAL)

# Orders asked about per tick at most; orders finish roughly in the order placed.
_PER_TICK = 1000

_NEWLY_TERMINAL = """
SELECT h.order_id, h.status, h.occurred_at, h.recorded_at
FROM orders.status_history h
WHERE h.order_id IN (
    SELECT order_id FROM orders.status_history
    WHERE order_id = ANY(%(open)s::uuid[]) AND status = ANY(%(terminal)s)
)
"""

_TWO_TERMINAL = """
SELECT count(*) FROM (
    SELECT order_id FROM orders.status_history
    WHERE order_id = ANY(%(ids)s::uuid[]) AND status = ANY(%(terminal)s)
    GROUP BY order_id HAVING count(*) > 1
) twice
"""


class Follower:
    def __init__(self, conn: psycopg.AsyncConnection, interval_s: float) -> None:
        self._conn = conn
        self._interval_s = interval_s
        # Insertion-ordered, oldest first (a dict, as sets have no order).
        self._open: dict[str, None] = {}
        self.finished: dict[str, Followed] = {}

    def track(self, order_id: str) -> None:
        self._open[order_id] = None

    @property
    def open_count(self) -> int:
        return len(self._open)

    async def poll(self) -> None:
        if not self._open:
            return
        oldest = list(itertools.islice(self._open, _PER_TICK))
        params = {"open": oldest, "terminal": _TERMINAL}
        rows = await (await self._conn.execute(_NEWLY_TERMINAL, params)).fetchall()
        touched: dict[str, Followed] = {}
        for order_id, status, occurred_at, recorded_at in rows:
            key = str(order_id)
            followed = touched.setdefault(key, self.finished.get(key) or Followed(key))
            followed.history[status] = Seen(occurred_at.timestamp(), recorded_at.timestamp())
        for followed in touched.values():
            followed.terminal = _first_terminal(followed)
            self.finished[followed.order_id] = followed
            self._open.pop(followed.order_id, None)

    async def follow(self, stop: asyncio.Event) -> None:
        """Poll every tick until ``stop`` is set."""
        while not stop.is_set():
            started = time.monotonic()
            await self.poll()
            # A tick that took long is not followed by a full sleep: keep the pace.
            left = self._interval_s - (time.monotonic() - started)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), max(left, 0.0))

    async def drain(self, timeout_s: float) -> None:
        """Go on polling until every tracked order is terminal or ``timeout_s`` passes."""
        deadline = time.monotonic() + timeout_s
        while self._open and time.monotonic() < deadline:
            await self.poll()
            await asyncio.sleep(self._interval_s)
        await self.poll()

    async def count_two_terminal(self, order_ids: list[str]) -> int:
        """How many of these orders have more than one terminal status (must be none)."""
        params = {"ids": order_ids, "terminal": _TERMINAL}
        row = await (await self._conn.execute(_TWO_TERMINAL, params)).fetchone()
        return int(row[0]) if row else 0


def _first_terminal(followed: Followed) -> str | None:
    reached = [(seen.recorded_at, status) for status, seen in followed.history.items()]
    terminal = [status for _, status in sorted(reached) if status in _TERMINAL]
    return terminal[0] if terminal else None
