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
    client_ids: tuple[str, ...]  # one per member

    @property
    def members(self) -> int:
        return len(self.client_ids)

    @property
    def consuming(self) -> bool:
        """Somebody consumes for the group; an empty group's events wait for nobody."""
        return self.members > 0


def group_states(
    settings: Settings, groups: list[str], timeout_s: float = 5.0
) -> list[GroupState] | None:
    """Each group's state, or None when Kafka does not answer within ``timeout_s``."""
    admin = AdminClient({"bootstrap.servers": settings.kafka_bootstrap, "log_level": 0})
    try:
        futures = admin.describe_consumer_groups(groups, request_timeout=timeout_s * 0.6)
        described = {group: future.result(timeout=timeout_s) for group, future in futures.items()}
    except KafkaException:
        return None
    return [
        GroupState(group, found.state.name, tuple(m.client_id for m in found.members))
        for group, found in ((g, described[g]) for g in groups)
    ]
