"""The inbox: which events a consumer has processed, by event id."""

from __future__ import annotations

from collections.abc import Sequence

import psycopg
from psycopg import sql
from psycopg.rows import TupleRow


class Inbox:
    def __init__(self, schema: str, consumer: str) -> None:
        self._consumer = consumer
        self._claim = sql.SQL(
            "INSERT INTO {} (consumer, event_id) SELECT %s, unnest(%s::uuid[])"
            " ON CONFLICT DO NOTHING RETURNING event_id::text"
        ).format(sql.Identifier(schema, "inbox"))

    def claim(self, cur: psycopg.Cursor[TupleRow], event_ids: Sequence[str]) -> set[str]:
        """Mark ``event_ids`` processed; returns those that were not processed before.

        Must run in the transaction that applies their effects, so that the mark
        and the effect commit or roll back together.
        """
        if not event_ids:
            return set()
        cur.execute(self._claim, (self._consumer, list(event_ids)))
        return {str(row[0]) for row in cur.fetchall()}
