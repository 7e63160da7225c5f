"""Reaching the broker from a tool: within a deadline, and knowing which topics exist.

librdkafka retries an unreachable broker forever and logs every attempt to
stderr; a tool instead gives up at a deadline with one line, so its clients
are built quiet and every call that waits on the broker has a timeout.
"""

from __future__ import annotations

from typing import Any

from confluent_kafka import KafkaException

# Public names, but confluent_kafka.admin has no __all__ for strict mypy to see them in.
from confluent_kafka.admin import (  # type: ignore[attr-defined]
    AdminClient,
    ClusterMetadata,
    TopicMetadata,
)

from orderflow.access import QUIET, KafkaAccess
from orderflow.tools.errors import ToolError


def client_config(kafka: KafkaAccess) -> dict[str, Any]:
    """A quiet client of these brokers, with the settings' TLS and SASL."""
    return kafka.config(QUIET)


def unreachable(bootstrap: str, timeout_s: float) -> ToolError:
    return ToolError(
        f"no Kafka broker answered at {bootstrap} within {timeout_s:g} s; "
        "is the stack up? (orderflow stack up)"
    )


def unknown_topic(topic: str) -> ToolError:
    return ToolError(
        f"topic {topic!r} does not exist; create it with: orderflow topics create {topic}"
    )


class Broker:
    """An admin connection to the brokers, every call bounded by ``timeout_s``."""

    def __init__(self, kafka: KafkaAccess, timeout_s: float) -> None:
        self.kafka = kafka
        self.bootstrap = kafka.bootstrap
        self.timeout_s = timeout_s
        self.admin = AdminClient(client_config(kafka))

    def metadata(self) -> ClusterMetadata:
        # Asking for all topics never auto-creates one, unlike asking for a
        # single name (the local broker has auto.create.topics.enable=true).
        try:
            return self.admin.list_topics(timeout=self.timeout_s)
        except KafkaException:
            raise unreachable(self.bootstrap, self.timeout_s) from None

    def topic_names(self) -> set[str]:
        return set(self.metadata().topics)

    def topic(self, name: str) -> TopicMetadata:
        found = self.metadata().topics.get(name)
        if found is None:
            raise unknown_topic(name)
        return found
