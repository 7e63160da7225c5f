"""What a batch store reads first: the rows of the orders a batch names."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any, LiteralString

from orderflow.events.model import Event

if TYPE_CHECKING:
    from orderflow.messaging.postgres import Cursor


def uuid_ids(ids: Iterable[str]) -> list[str]:
    """The valid uuids among ``ids``, sorted (rows are locked in this order: no deadlocks)."""
    valid = set()
    for text in ids:
        try:
            uuid.UUID(text)
        except ValueError:
            continue
        valid.add(text)
    return sorted(valid)


def rows_of_orders(
    cur: Cursor, query: LiteralString, events: Sequence[Event]
) -> list[tuple[Any, ...]]:
    """``query``'s rows for the orders ``events`` name, its one parameter their ids.

    The query says ``ORDER BY order_id FOR UPDATE``: locked in id order, two
    batches never wait for each other in a cycle.
    """
    cur.execute(query, (uuid_ids(e.order_id for e in events),))
    return cur.fetchall()
