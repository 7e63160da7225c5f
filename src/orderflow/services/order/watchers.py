"""Wakes the HTTP requests following an order when OrderStatusService changes it.

OrderStatusService runs in processes of its own; each change it commits
arrives here as a Postgres notice (notices.py), which calls ``notify``, and
the waiting requests re-read the order from Postgres.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable, Iterator
from contextlib import contextmanager


class StatusWatchers:
    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self._loop = loop
        self._waiting: dict[str, set[asyncio.Event]] = {}

    def notify(self, order_ids: Iterable[str]) -> None:
        """Thread-safe: wake whoever follows any of ``order_ids``."""
        ids = set(order_ids)
        if self._waiting and not self._loop.is_closed():
            self._loop.call_soon_threadsafe(self._wake, ids)

    def notify_all(self) -> None:
        """Thread-safe: wake everyone following an order (changes may have been missed)."""
        if self._waiting and not self._loop.is_closed():
            self._loop.call_soon_threadsafe(self._wake, None)

    def _wake(self, order_ids: set[str] | None) -> None:
        if order_ids is None:
            order_ids = set(self._waiting)
        for order_id in order_ids:
            for changed in self._waiting.get(order_id, ()):
                changed.set()

    @contextmanager
    def watch(self, order_id: str) -> Iterator[asyncio.Event]:
        changed = asyncio.Event()
        self._waiting.setdefault(order_id, set()).add(changed)
        try:
            yield changed
        finally:
            waiters = self._waiting.get(order_id, set())
            waiters.discard(changed)
            if not waiters:
                self._waiting.pop(order_id, None)
