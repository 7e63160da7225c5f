"""A fresh topic per test on the session's stack, so tests never see each other's messages."""

from __future__ import annotations

import pytest

# Public names, but confluent_kafka.admin has no __all__ for strict mypy to see them in.
from confluent_kafka.admin import AdminClient, NewTopic  # type: ignore[attr-defined]

from orderflow.settings import Settings
from orderflow.stack.waiting import wait_until

from .running import unique


def create_topic(settings: Settings, name: str, partitions: int = 1) -> str:
    admin = AdminClient({"bootstrap.servers": settings.kafka_bootstrap})
    future = admin.create_topics([NewTopic(name, num_partitions=partitions)])[name]
    future.result(timeout=30)

    # The controller has it; wait until the broker serves it with a leader.
    def served() -> bool:
        found = admin.list_topics(timeout=10).topics.get(name)
        return found is not None and all(p.leader >= 0 for p in found.partitions.values())

    assert wait_until(served, 30), f"topic {name} not served within 30 s"
    return name


@pytest.fixture
def topic(stack: Settings) -> str:
    """A new topic with three partitions, so that keys and ordering matter."""
    return create_topic(stack, unique("tools-test"), partitions=3)
