"""One snapshot of the running pipeline, built from what was fetched: pure.

sources.py fetches a ``Reading``; ``snapshot`` turns it into the document ``/api/live``
sends (its shape is in docs/dashboard.md, keys in camelCase). A source that failed
left None or nothing in the reading, and the fields it feeds are null: one part
down never fails the snapshot.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import Enum, auto
from typing import Any

from orderflow.dashboard.pipeline import (
    LAG_WINDOW_S,
    RUNNING,
    Answer,
    Node,
    Part,
    Pipeline,
    connector_verdict,
    lag_growing,
    readiness,
)
from orderflow.stack.connector import ConnectorState


class Measure(Enum):
    """A number read from Prometheus, by the label sources.py names (or one value)."""

    HTTP_RATE = auto()
    HTTP_P50_S = auto()
    HTTP_P99_S = auto()
    HANDLED_RATE = auto()
    EVENT_P50_S = auto()
    EVENT_P99_S = auto()
    LAG = auto()
    LAG_BEFORE = auto()
    """The lag ``LAG_WINDOW_S`` ago."""
    TOPIC_RATE = auto()
    OUTBOX_P50_S = auto()
    OUTBOX_P99_S = auto()
    CONNECTOR_RATE = auto()
    BEHIND_MS = auto()
    PLACED_RATE = auto()
    COMPLETED_RATE = auto()
    ORDER_P50_S = auto()
    ORDER_P99_S = auto()


ONE = ""
"""The key of a measure that is one value, not one per label."""

Measured = Mapping[Measure, Mapping[str, float]]
"""What Prometheus answered; a query that failed (or matched nothing) is absent."""


@dataclass(frozen=True)
class RecentOrder:
    order_id: str
    user_id: str
    items: tuple[str, ...]
    status: str
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True)
class Reading:
    """Everything one snapshot is made of, as fetched."""

    at: datetime
    measured: Measured
    answers: Mapping[str, Sequence[Answer | None]]
    """Each declared service's processes' ``/readyz`` answers (None: no answer), by name."""
    connector: ConnectorState | str
    """What Connect said of the connector, or why it said nothing."""
    orders: Sequence[RecentOrder] | None
    """Newest first; None when Postgres did not answer."""
    dead_letters: int | None
    """The records the dead-letter topic keeps (what its page lists); None when Kafka
    did not answer. From the topic's offsets, not a counter: counters start again at 0
    when a process restarts."""

    def value(self, measure: Measure, key: str | None = ONE) -> float | None:
        return None if key is None else self.measured.get(measure, {}).get(key)


def snapshot(pipeline: Pipeline, reading: Reading, refresh_s: float) -> dict[str, Any]:
    return {
        "at": reading.at.isoformat(timespec="milliseconds"),
        "refreshSeconds": refresh_s,
        "nodes": [node_document(node, reading) for node in pipeline.nodes],
        "edges": [{"from": a, "to": b} for a, b in pipeline.edges],
        "throughput": {
            "placedPerSecond": _rate(reading.value(Measure.PLACED_RATE)),
            "completedPerSecond": _rate(reading.value(Measure.COMPLETED_RATE)),
            "p50Ms": _ms(reading.value(Measure.ORDER_P50_S)),
            "p99Ms": _ms(reading.value(Measure.ORDER_P99_S)),
        },
        "deadLetters": reading.dead_letters,
        "orders": None if reading.orders is None else [_order(o) for o in reading.orders],
    }


@dataclass
class _Shown:
    """What a node shows; None is unknown, or not a number this part has."""

    rate: float | None = None
    p50_s: float | None = None
    p99_s: float | None = None
    lag: float | None = None
    lag_growing: bool = False
    behind_ms: float | None = None
    ready: bool | None = None
    instances: int | None = None
    state: str | None = None
    reasons: list[str] = field(default_factory=list)


def _http_front(node: Node, reading: Reading) -> _Shown:
    return _Shown(
        rate=reading.value(Measure.HTTP_RATE, node.service),
        p50_s=reading.value(Measure.HTTP_P50_S, node.service),
        p99_s=reading.value(Measure.HTTP_P99_S, node.service),
    )


def _consumer(node: Node, reading: Reading) -> _Shown:
    lag = reading.value(Measure.LAG, node.group)
    before = reading.value(Measure.LAG_BEFORE, node.group)
    growing = lag_growing(lag, before)
    return _Shown(
        rate=reading.value(Measure.HANDLED_RATE, node.service),
        p50_s=reading.value(Measure.EVENT_P50_S, node.service),
        p99_s=reading.value(Measure.EVENT_P99_S, node.service),
        lag=lag,
        lag_growing=growing,
        reasons=[f"lag rose from {before:.0f} to {lag:.0f} in {LAG_WINDOW_S} s"]
        if growing and lag is not None and before is not None
        else [],
    )


def _outboxes(_node: Node, _reading: Reading) -> _Shown:
    return _Shown()


def _connector(_node: Node, reading: Reading) -> _Shown:
    behind = reading.value(Measure.BEHIND_MS)
    state, why = connector_verdict(reading.connector)
    return _Shown(
        rate=reading.value(Measure.CONNECTOR_RATE),
        behind_ms=behind if behind is not None and behind >= 0 else None,  # -1: no event yet
        ready=state == RUNNING,
        # One connector (its tasks are Connect's to place): none when Connect knows of none.
        instances=0 if isinstance(reading.connector, str) else 1,
        state=state,
        reasons=[why] if why else [],
    )


def _topic(node: Node, reading: Reading) -> _Shown:
    return _Shown(
        rate=reading.value(Measure.TOPIC_RATE, node.topic),
        p50_s=reading.value(Measure.OUTBOX_P50_S, node.topic),
        p99_s=reading.value(Measure.OUTBOX_P99_S, node.topic),
    )


_SHOWN: Mapping[Part, Callable[[Node, Reading], _Shown]] = {
    Part.HTTP_FRONT: _http_front,
    Part.CONSUMER: _consumer,
    Part.OUTBOXES: _outboxes,
    Part.CONNECTOR: _connector,
    Part.TOPIC: _topic,
}


def node_document(node: Node, reading: Reading) -> dict[str, Any]:
    shown = _SHOWN[node.part](node, reading)
    if node.service is not None:  # a process of a declared service: its /readyz
        found = readiness(reading.answers.get(node.service, ()))
        shown.ready, shown.instances = found.ready, found.instances
        shown.reasons[:0] = [found.reason] if found.reason else []
    return {
        "id": node.id,
        "kind": node.kind.value,
        "label": node.label,
        "detail": node.detail,
        "ratePerSecond": _rate(shown.rate),
        "lag": None if shown.lag is None else round(shown.lag),
        "lagGrowing": shown.lag_growing,
        "behindMs": None if shown.behind_ms is None else round(shown.behind_ms),
        "p50Ms": _ms(shown.p50_s),
        "p99Ms": _ms(shown.p99_s),
        "ready": shown.ready,
        "reason": "; ".join(shown.reasons) or None,
        "instances": shown.instances,
        "state": shown.state,
        # The connector is not ready unless RUNNING: red when stopped or not registered.
        "alert": shown.ready is False or shown.lag_growing,
    }


def _rate(per_second: float | None) -> float | None:
    return None if per_second is None else round(per_second, 2)


def _ms(seconds: float | None) -> float | None:
    return None if seconds is None else round(seconds * 1000, 1)


def _order(order: RecentOrder) -> dict[str, Any]:
    return {
        "orderId": order.order_id,
        "userId": order.user_id,
        "items": list(order.items),
        "status": order.status,
        "createdAt": order.created_at.isoformat(),
        "updatedAt": order.updated_at.isoformat(),
    }
