"""The services' consumer groups as Kafka sees them: state, members and who holds what,
and the topics a group has committed offsets on.

Both questions run in a child process, ``python -m orderflow.stack.groups``:
librdkafka aborts the whole process (an assertion, not an exception) when a
broker connection drops under a DescribeConsumerGroups request
(confluentinc/librdkafka#4605), and ListConsumerGroupOffsets fails the same
assertion (confluentinc/librdkafka#3663). Kafka dropping connections is what
chaos is for, and the callers (``status``, ``lag``, a worker's health, the chaos
run itself) must outlive it, so a child that dies reads as "Kafka does not answer".
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from typing import Any

from orderflow.access import QUIET, KafkaAccess, kafka_access
from orderflow.settings import Settings, load_settings

# Python and confluent_kafka take a moment to start, on top of Kafka's answer.
START_S = 5.0

# The child's first argument when it is to list committed topics rather than describe.
COMMITTED_TOPICS = "--committed-topics"


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
    printed = _ask_child(settings, [], groups, timeout_s)
    return None if printed is None else parse_states(printed, groups)


def committed_topics(
    settings: Settings, groups: list[str], timeout_s: float = 5.0
) -> dict[str, tuple[str, ...]] | None:
    """The topics each group has committed offsets on, sorted; None when Kafka does not
    answer within ``timeout_s``. A group Kafka does not know has committed on none."""
    printed = _ask_child(settings, [COMMITTED_TOPICS], groups, timeout_s)
    return None if printed is None else parse_committed_topics(printed, groups)


def _ask_child(
    settings: Settings, mode: list[str], groups: list[str], timeout_s: float
) -> str | None:
    """What the child prints, or None if it failed, died or outlived its time.

    The child reads the settings from its environment, as a service does: the
    brokers and the credentials stay off its command line, where ``ps`` shows them.
    """
    command = [sys.executable, "-m", __name__, *mode, str(timeout_s), *groups]
    environment = {**os.environ, **settings.as_env()}
    try:
        child = subprocess.run(
            command, capture_output=True, text=True, env=environment, timeout=timeout_s + START_S
        )
    except subprocess.TimeoutExpired:
        return None
    return child.stdout if child.returncode == 0 else None


def parse_states(printed: str, groups: list[str]) -> list[GroupState] | None:
    """The child's JSON as states in the order asked; None if a group is missing."""
    try:
        found = json.loads(printed)
        described = {g: _state(g, found[g]) for g in groups}
    except (ValueError, KeyError, TypeError):
        return None
    return [described[g] for g in groups]


def parse_committed_topics(printed: str, groups: list[str]) -> dict[str, tuple[str, ...]] | None:
    """The child's JSON as topics per group asked; None if a group is missing."""
    try:
        found = json.loads(printed)
        return {g: tuple(str(topic) for topic in found[g]) for g in groups}
    except (ValueError, KeyError, TypeError):
        return None


def _state(group: str, found: dict[str, Any]) -> GroupState:
    owners = tuple((str(t), int(p), str(c)) for t, p, c in found.get("assignments", []))
    return GroupState(group, found["state"], tuple(found["client_ids"]), owners)


def describe(kafka: KafkaAccess, groups: list[str], timeout_s: float) -> dict[str, object] | None:
    """In the child: each group's state, members' client ids and the partitions each holds,
    as JSON-ready data."""
    from confluent_kafka import KafkaError, KafkaException
    from confluent_kafka.admin import AdminClient

    admin = AdminClient(kafka.config(QUIET))
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


def list_committed_topics(
    kafka: KafkaAccess, groups: list[str], timeout_s: float
) -> dict[str, list[str]] | None:
    """In the child: the topics each group has committed offsets on, as JSON-ready data."""
    from confluent_kafka import ConsumerGroupTopicPartitions, KafkaError, KafkaException
    from confluent_kafka.admin import AdminClient

    admin = AdminClient(kafka.config(QUIET))
    # One group per request is all the API takes; asked all at once, they wait side by side.
    futures = {
        group: admin.list_consumer_group_offsets(
            [ConsumerGroupTopicPartitions(group)], request_timeout=timeout_s * 0.6
        )[group]
        for group in groups
    }
    listed: dict[str, list[str]] = {}
    for group, future in futures.items():
        try:
            found = future.result(timeout=timeout_s)
        except KafkaException as error:
            # As in describe: a group Kafka does not know is an answer, not a failure.
            if error.args[0].code() != KafkaError.GROUP_ID_NOT_FOUND:
                return None
            listed[group] = []
            continue
        except TimeoutError:
            return None
        listed[group] = sorted({held.topic for held in found.topic_partitions or []})
    return listed


def main(argv: list[str]) -> int:
    listing = argv[:1] == [COMMITTED_TOPICS]
    timeout_s, *groups = argv[1:] if listing else argv
    ask = list_committed_topics if listing else describe
    found = ask(kafka_access(load_settings()), groups, float(timeout_s))
    if found is None:
        return 1
    print(json.dumps(found))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
