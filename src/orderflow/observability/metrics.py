"""The metrics every orderflow process serves on ``/metrics``, in Prometheus's text format.

One module-level set of metrics per process (prometheus-client's default
registry): a process runs one service, so the ``service`` label is the same on
every sample it serves, and says which service a panel shows once Prometheus
has scraped them all. Names follow Prometheus's conventions: base units
(seconds), ``_total`` for counters.
"""

from __future__ import annotations

import time
import uuid
from collections import Counter as Tally
from collections.abc import Callable, Iterable, Mapping, Sequence
from enum import StrEnum
from functools import partial

from prometheus_client import Counter, Gauge, Histogram, disable_created_metrics

from orderflow.events.model import Event, type_name
from orderflow.observability.batch_histogram import BatchHistogram, Series


class Outcome(StrEnum):
    """What became of an event a consumer received."""

    HANDLED = "handled"
    """Its effects committed, for the first time."""
    DUPLICATE = "duplicate"
    """The inbox had it already: a redelivery, with no second effect."""
    IGNORED = "ignored"
    """A type the service does not handle (the status projection reads every topic)."""
    RETRIED = "retried"
    """Its batch failed on an outage or an event ahead of its cause, and was tried again."""
    DEAD_LETTERED = "dead_lettered"
    """Undecodable, or its handler failed: on the dead-letter topic with the reason."""


# A ``_created`` sample per series doubles a scrape for what Prometheus does not use.
disable_created_metrics()  # type: ignore[no-untyped-call]

# Batches take from a millisecond (a few events, warm pool) to seconds (an outage).
_SECONDS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
# From a commit to the event's arrival at a consumer: Connect's poll, Kafka, the fetch.
_DELAY_SECONDS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0)

EVENTS = Counter(
    "orderflow_events",
    "Events a service's consumer received, by what became of them.",
    ["service", "topic", "event_type", "outcome"],
)
BATCH_SECONDS = Histogram(
    "orderflow_batch_seconds",
    "Time to handle one batch: decode, one transaction, dead letters.",
    ["service"],
    buckets=_SECONDS,
)
EVENT_SECONDS = BatchHistogram(
    "orderflow_event_seconds",
    "Time to handle one event: its batch's time shared among the batch's events.",
    ["service"],
    buckets=_SECONDS,
)
CONSUMER_LAG = Gauge(
    "orderflow_consumer_lag",
    "Records on a partition past the group's committed offset (librdkafka's statistics).",
    ["group", "topic", "partition"],
)
OLDEST_UNHANDLED = Gauge(
    "orderflow_oldest_unhandled_seconds",
    "Age of the oldest record in the batch in hand; 0 when the consumer is idle.",
    ["group"],
)
OUTBOX_DELAY = BatchHistogram(
    "orderflow_outbox_delay_seconds",
    "From an event's decision (its outbox row's transaction) to its arrival at a consumer.",
    ["topic"],
    buckets=_DELAY_SECONDS,
)
HTTP_REQUESTS = Counter(
    "orderflow_http_requests",
    "HTTP requests answered, by route template and status.",
    ["service", "route", "method", "status"],
)
HTTP_SECONDS = Histogram(
    "orderflow_http_request_seconds",
    "Time from a request's arrival to the end of its answer.",
    ["service", "route", "method"],
    buckets=_SECONDS,
)
ORDERS_PLACED = Counter("orderflow_orders_placed", "Orders placed (committed with their event).")
ORDERS_TERMINAL = Counter(
    "orderflow_orders_terminal",
    "Orders that reached a terminal status, by that status.",
    ["status"],
)
ORDER_SECONDS = Histogram(
    "orderflow_order_seconds",
    "From an order's POST (the time in its UUIDv7 id) to its terminal status, by that status.",
    ["status"],
    buckets=_DELAY_SECONDS,
)
KAFKA_QUEUE = Gauge(
    "orderflow_kafka_client_queue_messages",
    "Messages waiting in a Kafka client: produced and not yet acknowledged, or fetched "
    "and not yet consumed.",
    ["service", "client"],
)
KAFKA_RTT = Gauge(
    "orderflow_kafka_broker_rtt_seconds",
    "Average round trip of a Kafka client's requests to a broker, over the last interval.",
    ["service", "client", "broker"],
)
KAFKA_REBALANCES = Counter(
    "orderflow_kafka_rebalances",
    "Rebalances of a consumer group this process took part in.",
    ["group"],
)
DB_POOL = Gauge(
    "orderflow_db_pool_connections",
    "A Postgres pool's connections: its size, those idle, and requests waiting for one.",
    ["service", "pool", "state"],
)


def order_seconds(order_id: str, now_s: float) -> float | None:
    """Seconds from the order's POST to ``now_s``: the order's id is a UUIDv7 made at its
    POST (events/ids.py), whose first 48 bits are that instant in Unix ms. None for an id
    that is not a UUIDv7 (it holds no time); never below 0 (two processes' clocks)."""
    try:
        placed = uuid.UUID(order_id)
    except ValueError:
        return None
    if placed.version != 7:
        return None
    return max(0.0, now_s - (placed.int >> 80) / 1000)


def watch_pool(service: str, pool: str, stats: Callable[[], Mapping[str, int]]) -> None:
    """Serve the state of the pool named ``pool`` (psycopg_pool's ``get_stats``), read at
    each scrape. The OrderService has two: its HTTP side's and its consumer's."""
    for state, key in (("size", "pool_size"), ("idle", "pool_available"),
                       ("waiting", "requests_waiting")):  # fmt: skip
        DB_POOL.labels(service, pool, state).set_function(partial(_stat, stats, key))


def _stat(stats: Callable[[], Mapping[str, int]], key: str) -> float:
    return float(stats().get(key, 0))


class ServiceMetrics:
    """What one service's consumer records as it goes."""

    def __init__(self, service: str, group: str, clock: Callable[[], float] = time.time) -> None:
        self.service = service
        self._clock = clock
        self._batch = BATCH_SECONDS.labels(service)
        self._event = EVENT_SECONDS.labels(service)
        self._oldest = OLDEST_UNHANDLED.labels(group)
        # A labelled child is looked up under a lock; a service sees few topics and types.
        self._delays: dict[str, Series] = {}
        self._counts: dict[tuple[str, str, Outcome], Counter] = {}

    def received(self, timestamps_ms: Iterable[int]) -> None:
        """A batch is in hand, its records appended at ``timestamps_ms``."""
        oldest = min(timestamps_ms, default=None)
        self._oldest.set(0.0 if oldest is None else max(0.0, self._clock() - oldest / 1000))

    def idle(self) -> None:
        self._oldest.set(0.0)

    def arrived(self, events: Iterable[Event]) -> None:
        """``events`` reached this consumer: how long after their outbox rows were written."""
        now = self._clock()
        by_topic: dict[str, list[float]] = {}
        for event in events:
            delay = max(0.0, now - event.occurred_at.timestamp())
            by_topic.setdefault(event.topic, []).append(delay)
        for topic, delays in by_topic.items():
            series = self._delays.get(topic)
            if series is None:
                series = self._delays[topic] = OUTBOX_DELAY.labels(topic)
            series.observe_all(delays)

    def count(self, events: Iterable[Event], outcome: Outcome) -> None:
        """Count ``events`` under ``outcome``: one increment per topic and type, not per event."""
        for (topic, event_type), n in Tally((e.topic, type_name(type(e))) for e in events).items():
            self._counter(topic, event_type, outcome).inc(n)

    def outcomes(
        self, received: Sequence[Event], relevant: Sequence[Event], fresh: Iterable[str]
    ) -> None:
        """Count a committed batch: of the ``received`` events, the ``relevant`` ones (of
        types the service handles) the inbox found ``fresh`` were handled, the others
        duplicates; the rest were ignored."""
        for outcome, events in classify(received, relevant, fresh).items():
            self.count(events, outcome)

    def count_dead_letter(self, topic: str, event_type: str) -> None:
        self._counter(topic, event_type, Outcome.DEAD_LETTERED).inc()

    def _counter(self, topic: str, event_type: str, outcome: Outcome) -> Counter:
        key = (topic, event_type, outcome)
        counter = self._counts.get(key)
        if counter is None:
            counter = self._counts[key] = EVENTS.labels(
                self.service, topic, event_type, outcome.value
            )
        return counter

    def handled_batch(self, events: int, seconds: float) -> None:
        self._batch.observe(seconds)
        if events:
            self._event.observe(seconds / events, times=events)


def classify(
    received: Sequence[Event], relevant: Sequence[Event], fresh: Iterable[str]
) -> Mapping[Outcome, list[Event]]:
    """Which of the ``received`` events were handled, duplicates or ignored.

    An event the batch holds twice (a record published again) is handled once, if
    fresh, and its other copy is a duplicate.
    """
    unclaimed = set(fresh)
    relevant_ids = {e.event_id for e in relevant}
    handled: list[Event] = []
    duplicates: list[Event] = []
    ignored: list[Event] = []
    for event in received:
        if event.event_id not in relevant_ids:
            ignored.append(event)
        elif event.event_id in unclaimed:
            unclaimed.discard(event.event_id)
            handled.append(event)
        else:
            duplicates.append(event)
    return {Outcome.HANDLED: handled, Outcome.DUPLICATE: duplicates, Outcome.IGNORED: ignored}
