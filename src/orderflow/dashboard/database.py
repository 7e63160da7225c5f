"""The admin writes' connection: one short psycopg connection per request, in a thread.

Restocking and setting a balance are a person's clicks, a few a minute: a
pool held open for them would be connections Postgres keeps for nothing. The
admin functions the CLI uses (``orderflow inventory``, ``orderflow payment``)
are sync, so they run as they are, in a thread.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import TypeVar

import psycopg

from orderflow.dashboard.errors import Unavailable
from orderflow.settings import Settings

T = TypeVar("T")
# libpq's connect_timeout, whole seconds: a Postgres that is down is a 503 this soon.
CONNECT_TIMEOUT_S = 3


async def in_database(settings: Settings, work: Callable[[psycopg.Connection], T]) -> T:
    """``work`` on a connection of the admin DSN; a 503 if Postgres does not answer."""

    def run() -> T:
        with psycopg.connect(settings.postgres_dsn, connect_timeout=CONNECT_TIMEOUT_S) as conn:
            return work(conn)

    try:
        return await asyncio.to_thread(run)
    except psycopg.OperationalError as error:
        reason = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise Unavailable(
            503, "database_unavailable", f"Postgres did not answer: {reason}"
        ) from None
