"""The group watchdog on a real librdkafka consumer: it reads the client's own
statistics, stays quiet while the consumer is in its group, and ends it when
the consumer cannot get in."""

from __future__ import annotations

import uuid
from collections.abc import Callable

from confluent_kafka import Consumer

from orderflow.access import kafka_access
from orderflow.events.topics import ALL_TOPICS
from orderflow.messaging.source import consumer_config
from orderflow.messaging.topics import ensure_topics
from orderflow.messaging.watchdog import group_watchdog, join_state
from orderflow.settings import Settings
from orderflow.stack.ports import free_ports
from orderflow.stack.waiting import wait_until


def watched_consumer(bootstrap: str, limit_s: float) -> tuple[Consumer, list[str], list[bool]]:
    """A consumer as the runtime builds one, the watchdog's end recorded instead of done."""
    group = f"watchdog-test-{uuid.uuid4()}"
    ended: list[bool] = []
    states: list[str] = []
    config = group_watchdog(group, limit_s, end=lambda: ended.append(True))
    on_stats = config["stats_cb"]
    assert callable(on_stats)

    def record(stats: str) -> None:
        states.append(join_state(stats) or "?")
        on_stats(stats)

    consumer = Consumer(
        {**consumer_config(group), "bootstrap.servers": bootstrap, **config, "stats_cb": record}
    )
    consumer.subscribe(["OrderEventsTopic"])
    return consumer, states, ended


def polled_until(consumer: Consumer, condition: Callable[[], bool], timeout_s: float) -> bool:
    def poll_then_check() -> bool:
        consumer.poll(0.2)  # statistics reach their callback from poll
        return condition()

    return wait_until(poll_then_check, timeout_s, interval_s=0.0)


def test_a_consumer_in_its_group_reads_steady_and_lives_on(stack: Settings) -> None:
    # As a service's start-up does: a consumer of a missing topic waits in wait-metadata.
    ensure_topics(kafka_access(stack), ALL_TOPICS, stack.topic_partitions)
    consumer, states, ended = watched_consumer(stack.kafka_bootstrap, limit_s=1.0)
    try:
        assert polled_until(consumer, lambda: states[-2:] == ["steady", "steady"], 60), states
    finally:
        consumer.close()
    assert ended == []


def test_a_consumer_that_cannot_reach_its_coordinator_is_ended() -> None:
    (nobody,) = free_ports(1)
    consumer, states, ended = watched_consumer(f"127.0.0.1:{nobody}", limit_s=3.0)
    try:
        assert polled_until(consumer, lambda: bool(ended), 30), states
    finally:
        consumer.close()
    assert "steady" not in states
    assert len(states) >= 2  # away from the first reading to one past the limit
