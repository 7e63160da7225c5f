"""An order's hops: how long it took from each status it passed through to the next.

Pure: the OrderService's history (``[{status, at}]``) in, the hops out. The
times are the events' own (each status is stamped where its decision was
made), so a hop is the pipeline's time between two decisions: the outbox,
the connector, Kafka and the next consumer.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from itertools import pairwise


@dataclass(frozen=True)
class Passed:
    """A status the order passed through, and when."""

    status: str
    at: datetime


@dataclass(frozen=True)
class Hop:
    earlier: str
    later: str
    ms: float

    def document(self) -> dict[str, object]:
        return {"from": self.earlier, "to": self.later, "ms": self.ms}


def hops(history: Iterable[Passed]) -> list[Hop]:
    """Consecutive statuses in time order; a status stamped before the one listed ahead
    of it (the topics have no order between them) is put in its place by the sort."""
    ordered = sorted(history, key=lambda passed: passed.at)  # stable: ties keep their order
    return [
        Hop(a.status, b.status, round((b.at - a.at).total_seconds() * 1000, 1))
        for a, b in pairwise(ordered)
    ]


def history_of(entries: object) -> list[Passed]:
    """The ``history`` of the OrderService's answer; ValueError unless it is as it writes it."""
    if not isinstance(entries, list):
        raise ValueError("history is not a list")
    passed = []
    for entry in entries:
        if not isinstance(entry, Mapping) or not isinstance(entry.get("status"), str):
            raise ValueError(f"not a status change: {entry!r}")
        passed.append(Passed(entry["status"], datetime.fromisoformat(str(entry.get("at")))))
    return passed
