"""The outbox writer: an event row inserted and deleted again, in the caller's transaction.

The row never stays in the table; the WAL carries the insert and Debezium's
outbox event router publishes it: topic = aggregate_type, key = aggregate_id
(the orderId), value = payload (Confluent-framed Avro, passed through as is),
headers ``id``, ``eventType`` and ``traceparent`` (the order's trace, see
observability/tracing.py).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import psycopg
from psycopg import sql
from psycopg.rows import TupleRow

from orderflow.events.codec import EventCodec
from orderflow.events.model import Event, type_name

Row = tuple[str, str, str, str, bytes, str | None]
Traceparents = Mapping[str, str]
"""The W3C traceparent each order's events carry, by order id."""


class Outbox:
    def __init__(self, schema: str, codec: EventCodec) -> None:
        table = sql.Identifier(schema, "outbox")
        self._codec = codec
        self._insert = sql.SQL(
            "INSERT INTO {} (id, aggregate_type, aggregate_id, event_type, payload, traceparent)"
            " VALUES (%s, %s, %s, %s, %s, %s)"
        ).format(table)
        self._delete = sql.SQL("DELETE FROM {} WHERE id = ANY(%s::uuid[])").format(table)

    def rows(self, events: Sequence[Event], traceparents: Traceparents) -> list[Row]:
        return [
            (
                e.event_id,
                e.topic,
                e.order_id,
                type_name(type(e)),
                self._codec.encode(e),
                traceparents.get(e.order_id),
            )
            for e in events
        ]

    def write(
        self, cur: psycopg.Cursor[TupleRow], events: Sequence[Event], traceparents: Traceparents
    ) -> None:
        """Record ``events`` in the transaction ``cur`` is in; call before it commits."""
        if not events:
            return
        rows = self.rows(events, traceparents)
        cur.executemany(self._insert, rows)
        cur.execute(self._delete, ([row[0] for row in rows],))

    async def write_async(
        self,
        cur: psycopg.AsyncCursor[TupleRow],
        events: Sequence[Event],
        traceparents: Traceparents,
    ) -> None:
        """As ``write``, for the async HTTP side."""
        if not events:
            return
        rows = self.rows(events, traceparents)
        await cur.executemany(self._insert, rows)
        await cur.execute(self._delete, ([row[0] for row in rows],))
