"""Replicas of a service on a real group: one with no partition is a member standing by,
ready; the cooperative assignor tells it so with an empty assignment."""

from __future__ import annotations

import uuid

import pytest
from confluent_kafka import Consumer

from orderflow.access import kafka_access
from orderflow.messaging.source import consumer_config
from orderflow.messaging.topics import ensure_topics
from orderflow.observability.readiness import Assignment
from orderflow.settings import Settings
from orderflow.stack.waiting import wait_until

pytestmark = pytest.mark.stack


def replica(settings: Settings, group: str, topic: str) -> tuple[Consumer, Assignment]:
    """A consumer as the runtime builds one, its rebalances kept by an Assignment."""
    assignment = Assignment(group)
    consumer = Consumer(kafka_access(settings).config(consumer_config(group)))
    consumer.subscribe(
        [topic],
        on_assign=assignment.assigned,
        on_revoke=assignment.revoked,
        on_lost=assignment.lost,
    )
    return consumer, assignment


def test_two_replicas_of_one_partition_are_both_ready_and_one_holds_it(stack: Settings) -> None:
    topic, group = f"Standby-{uuid.uuid4().hex[:8]}", f"standby-{uuid.uuid4().hex[:8]}"
    ensure_topics(kafka_access(stack), [topic], partitions=1)
    replicas = [replica(stack, group, topic) for _ in range(2)]

    def both_members() -> bool:
        for consumer, _ in replicas:
            consumer.poll(0.1)  # the rebalance callbacks run from poll
        return all(assignment.probe() is None for _, assignment in replicas)

    try:
        assert wait_until(both_members, 60, interval_s=0.0), [a.probe() for _, a in replicas]
        # The partition settles on one of them; the other stands by with none.
        assert wait_until(
            lambda: both_members() and sorted(a.held for _, a in replicas) == [0, 1],
            30,
            interval_s=0.0,
        ), [a.held for _, a in replicas]
    finally:
        for consumer, _ in replicas:
            consumer.close()
