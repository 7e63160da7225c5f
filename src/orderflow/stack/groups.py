"""The services' consumer groups as Kafka sees them: state, members and who holds what.

The describe runs in a child process, ``python -m orderflow.stack.groups``:
librdkafka aborts the whole process (an assertion, not an exception) when a
broker connection drops under a DescribeConsumerGroups request
(confluentinc/librdkafka#4605). Kafka dropping connections is what chaos is
for, and the callers (``status``, a worker's health, the chaos run itself)
must outlive it, so a child that dies reads as "Kafka does not answer".
"""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass
from typing import Any

from orderflow.settings import Settings

# Python and confluent_kafka take a moment to start, on top of Kafka's answer.
START_S = 5.0


@dataclass(frozen=True)
class GroupState:
    group: str
    state: str  # Kafka's: STABLE, PREPARING_REBALANCE, EMPTY, DEAD, ... or UNKNOWN
    client_ids: tuple[str, ...]  # one per member
    owners: tuple[tuple[str, int, str], ...] = ()
    """(topic, partition, client id) for each partition a member holds."""

    def owner(self, topic: str, partition: int) -> str | None:
        """The client id of the member holding ``topic``'s ``partition``; None if nobody."""
        for held_topic, held_partition, client_id in self.owners:
            if (held_topic, held_partition) == (topic, partition):
                return client_id
        return None

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
    command = [sys.executable, "-m", __name__, settings.kafka_bootstrap, str(timeout_s), *groups]
    try:
        child = subprocess.run(command, capture_output=True, text=True, timeout=timeout_s + START_S)
    except subprocess.TimeoutExpired:
        return None
    if child.returncode != 0:
        return None
    return parse_states(child.stdout, groups)


def parse_states(printed: str, groups: list[str]) -> list[GroupState] | None:
    """The child's JSON as states in the order asked; None if a group is missing."""
    try:
        found = json.loads(printed)
        described = {g: _state(g, found[g]) for g in groups}
    except (ValueError, KeyError, TypeError):
        return None
    return [described[g] for g in groups]


def _state(group: str, found: dict[str, Any]) -> GroupState:
    owners = tuple((str(t), int(p), str(c)) for t, p, c in found.get("assignments", []))
    return GroupState(group, found["state"], tuple(found["client_ids"]), owners)


def describe(bootstrap: str, groups: list[str], timeout_s: float) -> dict[str, object] | None:
    """In the child: each group's state, members' client ids and the partitions each holds,
    as JSON-ready data."""
    from confluent_kafka import KafkaError, KafkaException
    from confluent_kafka.admin import AdminClient

    admin = AdminClient({"bootstrap.servers": bootstrap, "log_level": 0})
    futures = admin.describe_consumer_groups(groups, request_timeout=timeout_s * 0.6)
    described: dict[str, object] = {}
    for group, future in futures.items():
        try:
            found = future.result(timeout=timeout_s)
        except KafkaException as error:
            # A group nobody ever joined or committed for is not a broker failure:
            # it reads as Kafka's own word for it, DEAD, so that its neighbours still show.
            if error.args[0].code() != KafkaError.GROUP_ID_NOT_FOUND:
                return None
            described[group] = {"state": "DEAD", "client_ids": [], "assignments": []}
            continue
        except TimeoutError:
            return None
        described[group] = {
            "state": found.state.name,
            "client_ids": [m.client_id for m in found.members],
            "assignments": [
                [held.topic, held.partition, m.client_id]
                for m in found.members
                for held in ((m.assignment.topic_partitions or []) if m.assignment else [])
            ],
        }
    return described


def main(argv: list[str]) -> int:
    bootstrap, timeout_s, *groups = argv
    described = describe(bootstrap, groups, float(timeout_s))
    if described is None:
        return 1
    print(json.dumps(described))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
