"""Postgres adapter of OrderStatusService: an order's status, seen events and history.

It works a batch at a time: ``load`` locks and reads every order the batch
names in one query, and ``apply`` writes the changes back (two statements,
pipelined) before commit.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from orderflow.events.ids import OrderId
from orderflow.events.model import Event, event_type_named, type_name
from orderflow.messaging.postgres import CursorStore
from orderflow.services.batch_ids import rows_of_orders
from orderflow.services.order.notices import CHANNEL, NOTIFY, payloads
from orderflow.services.order.projection import Advance, StatusView, Tracked
from orderflow.services.order.status import TERMINAL, Facts, Status

if TYPE_CHECKING:
    from orderflow.messaging.postgres import Cursor


def _facts(names: Sequence[str]) -> Facts:
    return frozenset(t for t in map(event_type_named, names) if t is not None)


class StatusStore(CursorStore):
    def __init__(self, cur: Cursor, clock: Callable[[], float] = time.time) -> None:
        super().__init__(cur)
        # Now, in Unix seconds, for ``orderflow_order_seconds``; a test gives its own.
        self._clock = clock

    def load(self, events: Sequence[Event]) -> StatusView:
        """Lock and read the orders of ``events`` (in id order, so batches never deadlock)."""
        rows = rows_of_orders(
            self._cur,
            "SELECT order_id::text, status, facts FROM orders.orders"
            " WHERE order_id = ANY(%s::uuid[]) ORDER BY order_id FOR UPDATE",
            events,
        )
        return StatusView(
            {OrderId(order_id): Tracked(Status(s), _facts(facts)) for order_id, s, facts in rows}
        )

    def apply(self, changes: Sequence[Advance]) -> None:
        if not changes:
            return
        latest = {c.order_id: c.progress for c in changes}  # an order's last change wins
        history = [(c.order_id, s.value, c.at) for c in changes for s in c.progress.reached]
        with self._cur.connection.pipeline():
            self._cur.executemany(
                "UPDATE orders.orders SET status = %s, facts = %s, updated_at = now()"
                " WHERE order_id = %s",
                [
                    (p.status.value, sorted(type_name(t) for t in p.facts), order_id)
                    for order_id, p in sorted(latest.items())
                ],
            )
            # Counted as written: a batch whose commit fails and is tried again (an
            # outage at that instant) counts twice, which a rate over minutes hides.
            # Imported here: the CLI reads this module, and loads no metrics.
            from orderflow.observability.metrics import (
                ORDER_SECONDS,
                ORDERS_TERMINAL,
                order_seconds,
            )

            now_s = self._clock()
            for c in changes:
                for status in c.progress.reached:
                    if status in TERMINAL:
                        ORDERS_TERMINAL.labels(status.value).inc()
                        seconds = order_seconds(c.order_id, now_s)
                        if seconds is not None:
                            ORDER_SECONDS.labels(status.value).observe(seconds)
            if history:
                self._cur.executemany(
                    "INSERT INTO orders.status_history (order_id, status, occurred_at)"
                    " VALUES (%s, %s, %s) ON CONFLICT DO NOTHING",
                    history,
                )
            # Delivered at commit, to every OrderService process (notices.py).
            for payload in payloads(latest):
                self._cur.execute(NOTIFY, (CHANNEL, payload))
