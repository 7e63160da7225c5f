"""Two copies of one event in one batch: each received event is counted once, somewhere.

The Processor merges copies of an event id before it claims them (``relevant`` is
deduplicated; ``received`` is the batch as it came). A connector restart can publish
an outbox row twice, and both records can land in one batch. The second copy has no
effect, so it is a duplicate; if it is counted as nothing, orderflow_events_total
reads fewer events than the consumer received.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from prometheus_client import REGISTRY

from orderflow.events.ids import EventId, ItemId, OrderId, UserId
from orderflow.events.model import OrderCreated
from orderflow.events.topics import ORDER_EVENTS
from orderflow.observability.metrics import Outcome, ServiceMetrics, classify

EVENT = OrderCreated(
    event_id=EventId("00000000-0000-4000-8000-000000000001"),
    order_id=OrderId("order-1"),
    occurred_at=datetime(2026, 1, 1, tzinfo=UTC),
    user_id=UserId("u"),
    items=(ItemId("item1"),),
    total_cents=1,
)


def test_classify_places_both_copies_of_an_event_received_twice() -> None:
    found = classify([EVENT, EVENT], [EVENT], [EVENT.event_id])

    assert sum(len(events) for events in found.values()) == 2
    assert found[Outcome.HANDLED] == [EVENT]
    assert found[Outcome.DUPLICATE] == [EVENT]
    assert found[Outcome.IGNORED] == []


def test_outcomes_count_as_many_events_as_the_batch_received() -> None:
    service = f"copies-{uuid.uuid4().hex}"

    ServiceMetrics(service, "g").outcomes([EVENT, EVENT], [EVENT], [EVENT.event_id])

    counted = {
        outcome: REGISTRY.get_sample_value(
            "orderflow_events_total",
            {
                "service": service,
                "topic": ORDER_EVENTS,
                "event_type": "OrderCreated",
                "outcome": outcome.value,
            },
        )
        for outcome in (Outcome.HANDLED, Outcome.DUPLICATE)
    }
    assert counted == {Outcome.HANDLED: 1.0, Outcome.DUPLICATE: 1.0}
