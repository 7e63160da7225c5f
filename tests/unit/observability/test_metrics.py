"""ServiceMetrics, classify and watch_pool, read back from prometheus-client's registry.

The metrics are process-global: each test uses a service or group name of its own
and compares a sample before and after, never an absolute value of a shared series.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest
from prometheus_client import REGISTRY

from orderflow.events.ids import EventId, ItemId, OrderId, UserId
from orderflow.events.model import Event, InventoryReserved, OrderCreated
from orderflow.events.topics import INVENTORY_EVENTS, ORDER_EVENTS
from orderflow.observability.metrics import Outcome, ServiceMetrics, classify, watch_pool


def sample(name: str, **labels: str) -> float:
    """The sample's value now; a series not yet created reads as 0."""
    return REGISTRY.get_sample_value(name, labels) or 0.0


def present(name: str, **labels: str) -> float | None:
    return REGISTRY.get_sample_value(name, labels)


def unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex}"


def created(n: int, at: datetime = datetime(2026, 1, 1, tzinfo=UTC)) -> OrderCreated:
    return OrderCreated(
        event_id=EventId(str(uuid.uuid4())),
        order_id=OrderId(f"order-{n}"),
        occurred_at=at,
        user_id=UserId("u"),
        items=(ItemId("item1"),),
        total_cents=n,
    )


def reserved(n: int) -> InventoryReserved:
    return InventoryReserved(
        event_id=EventId(str(uuid.uuid4())),
        order_id=OrderId(f"order-{n}"),
        occurred_at=datetime(2026, 1, 1, tzinfo=UTC),
        user_id=UserId("u"),
        items=(ItemId("item1"),),
        total_cents=n,
    )


def events_total(service: str, topic: str, event_type: str, outcome: Outcome) -> float:
    return sample(
        "orderflow_events_total",
        service=service,
        topic=topic,
        event_type=event_type,
        outcome=outcome.value,
    )


class Clock:
    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


# classify


def test_classify_splits_received_into_handled_duplicate_and_ignored() -> None:
    a, b, c, d = created(1), created(2), created(3), reserved(4)

    found = classify([a, b, c, d], relevant=[a, b, c], fresh=[a.event_id, c.event_id])

    assert found == {
        Outcome.HANDLED: [a, c],
        Outcome.DUPLICATE: [b],
        Outcome.IGNORED: [d],
    }


def test_classify_never_counts_an_irrelevant_event_as_handled_even_if_fresh() -> None:
    a, d = created(1), reserved(2)

    found = classify([a, d], relevant=[a], fresh=[a.event_id, d.event_id])

    assert found[Outcome.HANDLED] == [a]
    assert found[Outcome.IGNORED] == [d]
    assert found[Outcome.DUPLICATE] == []


def test_classify_with_nothing_fresh_calls_every_relevant_event_a_duplicate() -> None:
    a, b = created(1), created(2)

    found = classify([a, b], relevant=[a, b], fresh=[])

    assert found == {Outcome.HANDLED: [], Outcome.DUPLICATE: [a, b], Outcome.IGNORED: []}


# count, outcomes, count_dead_letter


def test_count_adds_one_per_event_under_its_topic_and_type() -> None:
    service = unique("svc")
    metrics = ServiceMetrics(service, unique("group"))

    metrics.count([created(1), created(2), reserved(3), created(4)], Outcome.HANDLED)

    assert events_total(service, ORDER_EVENTS, "OrderCreated", Outcome.HANDLED) == 3
    assert events_total(service, INVENTORY_EVENTS, "InventoryReserved", Outcome.HANDLED) == 1
    assert events_total(service, ORDER_EVENTS, "OrderCreated", Outcome.RETRIED) == 0


def test_count_accumulates_across_calls() -> None:
    service = unique("svc")
    metrics = ServiceMetrics(service, unique("group"))

    metrics.count([created(1)], Outcome.RETRIED)
    metrics.count([created(1), created(2)], Outcome.RETRIED)

    assert events_total(service, ORDER_EVENTS, "OrderCreated", Outcome.RETRIED) == 3


def test_outcomes_counts_a_committed_batch_by_what_became_of_each_event() -> None:
    service = unique("svc")
    metrics = ServiceMetrics(service, unique("group"))
    a, b, c, d = created(1), created(2), created(3), reserved(4)

    metrics.outcomes([a, b, c, d], relevant=[a, b, c], fresh=[a.event_id, b.event_id])

    assert events_total(service, ORDER_EVENTS, "OrderCreated", Outcome.HANDLED) == 2
    assert events_total(service, ORDER_EVENTS, "OrderCreated", Outcome.DUPLICATE) == 1
    assert events_total(service, INVENTORY_EVENTS, "InventoryReserved", Outcome.IGNORED) == 1
    assert events_total(service, ORDER_EVENTS, "OrderCreated", Outcome.IGNORED) == 0


def test_count_dead_letter_counts_one_under_the_given_topic_and_type() -> None:
    service = unique("svc")
    metrics = ServiceMetrics(service, unique("group"))

    metrics.count_dead_letter("SomeTopic", "unknown")
    metrics.count_dead_letter("SomeTopic", "unknown")

    assert events_total(service, "SomeTopic", "unknown", Outcome.DEAD_LETTERED) == 2
    assert events_total(service, "SomeTopic", "unknown", Outcome.HANDLED) == 0


def test_the_service_label_is_the_metrics_own() -> None:
    mine, other = unique("svc"), unique("svc")

    ServiceMetrics(mine, unique("group")).count([created(1)], Outcome.HANDLED)

    assert events_total(mine, ORDER_EVENTS, "OrderCreated", Outcome.HANDLED) == 1
    assert events_total(other, ORDER_EVENTS, "OrderCreated", Outcome.HANDLED) == 0


# received, idle


def test_received_sets_the_age_of_the_oldest_record_by_the_clock() -> None:
    group = unique("group")
    metrics = ServiceMetrics(unique("svc"), group, clock=Clock(1_000.0))

    metrics.received([999_500, 997_250, 999_900])

    assert present("orderflow_oldest_unhandled_seconds", group=group) == pytest.approx(2.75)


def test_received_follows_the_clock_batch_after_batch() -> None:
    group = unique("group")
    clock = Clock(1_000.0)
    metrics = ServiceMetrics(unique("svc"), group, clock=clock)

    metrics.received([990_000])
    clock.now = 1_030.0
    metrics.received([1_029_000])

    assert present("orderflow_oldest_unhandled_seconds", group=group) == pytest.approx(1.0)


def test_received_never_reports_a_negative_age_for_a_record_from_the_future() -> None:
    group = unique("group")
    metrics = ServiceMetrics(unique("svc"), group, clock=Clock(1_000.0))

    metrics.received([1_005_000])

    assert present("orderflow_oldest_unhandled_seconds", group=group) == 0.0


def test_received_without_timestamps_reads_zero() -> None:
    group = unique("group")
    metrics = ServiceMetrics(unique("svc"), group, clock=Clock(1_000.0))
    metrics.received([990_000])

    metrics.received([])

    assert present("orderflow_oldest_unhandled_seconds", group=group) == 0.0


def test_idle_resets_the_oldest_age_to_zero() -> None:
    group = unique("group")
    metrics = ServiceMetrics(unique("svc"), group, clock=Clock(1_000.0))
    metrics.received([990_000])
    assert present("orderflow_oldest_unhandled_seconds", group=group) == pytest.approx(10.0)

    metrics.idle()

    assert present("orderflow_oldest_unhandled_seconds", group=group) == 0.0


# arrived


def test_arrived_observes_each_events_delay_since_it_occurred_by_topic() -> None:
    occurred = datetime.fromtimestamp(1_000.0, UTC)
    events: list[Event] = [created(1, occurred), created(2, occurred)]
    metrics = ServiceMetrics(unique("svc"), unique("group"), clock=Clock(1_002.0))
    name = "orderflow_outbox_delay_seconds"
    before = {
        "count": sample(f"{name}_count", topic=ORDER_EVENTS),
        "sum": sample(f"{name}_sum", topic=ORDER_EVENTS),
        "le_2.5": sample(f"{name}_bucket", topic=ORDER_EVENTS, le="2.5"),
        "le_1.0": sample(f"{name}_bucket", topic=ORDER_EVENTS, le="1.0"),
        "other": sample(f"{name}_count", topic=INVENTORY_EVENTS),
    }

    metrics.arrived(events)

    assert sample(f"{name}_count", topic=ORDER_EVENTS) - before["count"] == 2
    assert sample(f"{name}_sum", topic=ORDER_EVENTS) - before["sum"] == pytest.approx(4.0)
    assert sample(f"{name}_bucket", topic=ORDER_EVENTS, le="2.5") - before["le_2.5"] == 2
    assert sample(f"{name}_bucket", topic=ORDER_EVENTS, le="1.0") - before["le_1.0"] == 0
    assert sample(f"{name}_count", topic=INVENTORY_EVENTS) - before["other"] == 0


def test_arrived_counts_an_event_stamped_after_the_clock_as_no_delay() -> None:
    ahead = datetime.fromtimestamp(1_010.0, UTC)
    metrics = ServiceMetrics(unique("svc"), unique("group"), clock=Clock(1_000.0))
    name = "orderflow_outbox_delay_seconds"
    count, total = (sample(f"{name}_{s}", topic=ORDER_EVENTS) for s in ("count", "sum"))

    metrics.arrived([created(1, ahead)])

    assert sample(f"{name}_count", topic=ORDER_EVENTS) - count == 1
    assert sample(f"{name}_sum", topic=ORDER_EVENTS) - total == pytest.approx(0.0)


# handled_batch


def test_handled_batch_observes_the_batch_once_and_its_share_per_event() -> None:
    service = unique("svc")
    metrics = ServiceMetrics(service, unique("group"))

    metrics.handled_batch(4, 0.08)

    assert present("orderflow_batch_seconds_count", service=service) == 1
    assert present("orderflow_batch_seconds_sum", service=service) == pytest.approx(0.08)
    assert present("orderflow_event_seconds_count", service=service) == 4
    assert present("orderflow_event_seconds_sum", service=service) == pytest.approx(0.08)
    # Each event's share is 0.02 s: in the 0.025 bucket, not the 0.01 one.
    assert present("orderflow_event_seconds_bucket", service=service, le="0.025") == 4
    assert present("orderflow_event_seconds_bucket", service=service, le="0.01") == 0


def test_handled_batch_of_no_events_observes_only_the_batch() -> None:
    service = unique("svc")
    metrics = ServiceMetrics(service, unique("group"))

    metrics.handled_batch(0, 0.5)
    metrics.handled_batch(2, 0.1)

    assert present("orderflow_batch_seconds_count", service=service) == 2
    assert present("orderflow_event_seconds_count", service=service) == 2


# watch_pool


def test_watch_pool_reads_the_stats_at_each_collection() -> None:
    service = unique("svc")
    stats = {"pool_size": 4, "pool_available": 1, "requests_waiting": 0}

    watch_pool(service, "http", lambda: stats)

    def state(name: str) -> float | None:
        return present("orderflow_db_pool_connections", service=service, pool="http", state=name)

    assert (state("size"), state("idle"), state("waiting")) == (4.0, 1.0, 0.0)
    stats.update(pool_size=8, pool_available=0, requests_waiting=3)
    assert (state("size"), state("idle"), state("waiting")) == (8.0, 0.0, 3.0)


def test_watch_pool_reads_a_missing_stat_as_zero_and_keeps_pools_apart() -> None:
    service = unique("svc")

    watch_pool(service, "http", lambda: {"pool_size": 16})
    watch_pool(service, "consumer", lambda: {"pool_size": 2, "pool_available": 2})

    def state(pool: str, name: str) -> float | None:
        return present("orderflow_db_pool_connections", service=service, pool=pool, state=name)

    assert (state("http", "size"), state("http", "idle"), state("http", "waiting")) == (16, 0, 0)
    assert (state("consumer", "size"), state("consumer", "idle")) == (2.0, 2.0)
