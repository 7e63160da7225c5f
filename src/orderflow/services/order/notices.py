"""Status changes told to every OrderService process, through Postgres LISTEN/NOTIFY.

OrderStatusService moves an order's status on in a process of its own, while
a client follows the order (``GET /orders/{id}/events``) on whichever
OrderService process it reached. The projection's transaction sends the ids of the orders it changed
on ``CHANNEL``; Postgres delivers a notification only when that transaction
commits, so nobody is woken for a change that did not happen. Each process
listens and wakes its own followers, who re-read the order. A notice missed
(the listener reconnecting) costs a follower at most its keep-alive wait: it
re-reads then anyway, and every follower is woken once the listener is back.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable

log = logging.getLogger(__name__)

CHANNEL = "orderflow_order_status"
# Postgres refuses a payload of 8000 bytes or more; a uuid and its comma are 37.
_MOST_BYTES = 7_900
_RECONNECT_S = 1.0
# How long a wait for notices lasts before the stop flag is looked at again.
_POLL_S = 0.5

NOTIFY = "SELECT pg_notify(%s, %s)"  # the channel, a payload


def payloads(order_ids: Iterable[str]) -> list[str]:
    """The order ids as comma-separated payloads, each under Postgres's limit."""
    chunks: list[str] = []
    current: list[str] = []
    size = 0
    for order_id in sorted(set(order_ids)):
        if current and size + len(order_id) + 1 > _MOST_BYTES:
            chunks.append(",".join(current))
            current, size = [], 0
        current.append(order_id)
        size += len(order_id) + 1
    if current:
        chunks.append(",".join(current))
    return chunks


def order_ids_in(payload: str) -> list[str]:
    return [order_id for order_id in payload.split(",") if order_id]


def listen(
    dsn: str,
    changed: Callable[[Iterable[str]], None],
    everything_changed: Callable[[], None],
    stop: threading.Event,
) -> None:
    """Until ``stop``: pass the order ids of each notice to ``changed``. After a lost
    connection, once listening again, ``everything_changed``: what was missed meanwhile."""
    # Imported here: the service declarations read this module, and the CLI them.
    import psycopg
    from psycopg import sql

    reconnected = False
    while not stop.is_set():
        try:
            with psycopg.connect(dsn, autocommit=True) as conn:
                conn.execute(sql.SQL("LISTEN {}").format(sql.Identifier(CHANNEL)))
                if reconnected:
                    everything_changed()
                while not stop.is_set():
                    for notice in conn.notifies(timeout=_POLL_S):
                        changed(order_ids_in(notice.payload))
        except psycopg.Error as error:
            log.warning("status notices: %s; listening again in %.0f s", error, _RECONNECT_S)
            reconnected = True
            stop.wait(_RECONNECT_S)
