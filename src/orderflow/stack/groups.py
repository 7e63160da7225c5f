"""The services' consumer groups as Kafka sees them: state and members, for `status`."""

from __future__ import annotations

from dataclasses import dataclass

from confluent_kafka import KafkaException
from confluent_kafka.admin import AdminClient

from orderflow.settings import Settings


@dataclass(frozen=True)
class GroupState:
    group: str
    state: str  # Kafka's: STABLE, PREPARING_REBALANCE, EMPTY, DEAD, ... or UNKNOWN
    members: int

    @property
    def consuming(self) -> bool:
        """Somebody consumes for the group; an empty group's events wait for nobody."""
        return self.members > 0


def group_states(settings: Settings, groups: list[str]) -> list[GroupState] | None:
    """Each group's state, or None when Kafka does not answer."""
    admin = AdminClient({"bootstrap.servers": settings.kafka_bootstrap, "log_level": 0})
    try:
        futures = admin.describe_consumer_groups(groups, request_timeout=3)
        described = {group: future.result(timeout=5) for group, future in futures.items()}
    except KafkaException:
        return None
    return [
        GroupState(group, found.state.name, len(found.members))
        for group, found in ((g, described[g]) for g in groups)
    ]
