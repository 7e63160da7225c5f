"""orderflow_order_seconds: from an order's POST (the time in its UUIDv7 id) to its
terminal status, observed where OrderStatusService writes that status.

The metrics are process-global: each test reads a histogram's sum and count before
and after, never an absolute value of the shared series.
"""

from __future__ import annotations

import uuid
from contextlib import nullcontext
from datetime import UTC, datetime
from typing import Any, cast

import pytest
from prometheus_client import REGISTRY

from orderflow.events.ids import OrderId, time_ordered_id
from orderflow.events.model import OrderCreated, PaymentCompleted
from orderflow.observability.metrics import order_seconds
from orderflow.services.order.notices import CHANNEL, NOTIFY, order_ids_in
from orderflow.services.order.projection import Advance
from orderflow.services.order.status import Progress, Status
from orderflow.services.order.status_store import StatusStore

PLACED_MS = 1_764_780_000_123


def observed(status: str) -> tuple[float, float]:
    """The histogram's sum and count for ``status`` now (0 before its first sample)."""
    labels = {"status": status}
    total = REGISTRY.get_sample_value("orderflow_order_seconds_sum", labels) or 0.0
    count = REGISTRY.get_sample_value("orderflow_order_seconds_count", labels) or 0.0
    return total, count


class FakeCursor:
    """What ``StatusStore.apply`` touches of a psycopg cursor: statements go nowhere."""

    def __init__(self) -> None:
        self.connection = self
        self.statements: list[str] = []
        self.params: list[Any] = []

    def pipeline(self) -> nullcontext[None]:
        return nullcontext()

    def executemany(self, query: str, _rows: Any) -> None:
        self.statements.append(query)

    def execute(self, query: str, params: Any) -> None:
        self.statements.append(query)
        self.params.append(params)


def reached(order_id: str, *statuses: Status) -> Advance:
    progress = Progress(frozenset({OrderCreated, PaymentCompleted}), statuses[-1], statuses)
    return Advance(OrderId(order_id), progress, datetime(2026, 1, 1, tzinfo=UTC))


def test_the_seconds_are_from_the_ms_in_the_id_to_now() -> None:
    order_id = time_ordered_id(now_ms=PLACED_MS)

    assert order_seconds(order_id, PLACED_MS / 1000 + 2.5) == pytest.approx(2.5)


def test_a_clock_behind_the_id_s_gives_zero_and_an_id_with_no_time_gives_none() -> None:
    assert order_seconds(time_ordered_id(now_ms=PLACED_MS), PLACED_MS / 1000 - 1) == 0.0
    assert order_seconds(str(uuid.uuid4()), PLACED_MS / 1000) is None
    assert order_seconds("order-1", PLACED_MS / 1000) is None


def test_writing_a_terminal_status_observes_the_order_s_time_under_that_status() -> None:
    paid = time_ordered_id(now_ms=PLACED_MS)
    on_the_way = time_ordered_id(now_ms=PLACED_MS)
    store = StatusStore(cast(Any, FakeCursor()), clock=lambda: PLACED_MS / 1000 + 0.75)
    total_before, count_before = observed(Status.PAID.value)
    shipped_before = observed(Status.SHIPPED.value)

    store.apply([reached(paid, Status.PAID), reached(on_the_way, Status.SHIPPED)])

    total, count = observed(Status.PAID.value)
    assert count - count_before == 1
    assert total - total_before == pytest.approx(0.75)
    assert observed(Status.SHIPPED.value) == shipped_before  # not terminal: not observed


def test_writing_statuses_tells_every_order_service_process_in_the_same_transaction() -> None:
    # Here because the fake cursor is: the notice is a statement of the batch's apply.
    first, second = time_ordered_id(now_ms=PLACED_MS), time_ordered_id(now_ms=PLACED_MS)
    cursor = FakeCursor()

    StatusStore(cast(Any, cursor)).apply(
        [reached(first, Status.PAID), reached(second, Status.SHIPPED)]
    )

    assert NOTIFY in cursor.statements
    [(channel, payload)] = cursor.params
    assert channel == CHANNEL
    assert sorted(order_ids_in(payload)) == sorted([first, second])
