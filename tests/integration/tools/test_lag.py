"""`orderflow lag` and `orderflow status --json` against the real stack."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from typing import Any

import pytest
from confluent_kafka import Consumer, KafkaException, Producer, TopicPartition

from orderflow.messaging.source import member_client_id
from orderflow.services import CONSUMERS
from orderflow.settings import Settings
from orderflow.stack.components import EVERYTHING, SERVICES, STACK
from orderflow.stack.connector import outbox_connector
from orderflow.stack.ports import free_ports
from orderflow.stack.probes import answers_ok
from orderflow.stack.waiting import wait_until
from orderflow.tools.lag import group_lag

from .running import ok, orderflow, unique

pytestmark = pytest.mark.stack

# Records per partition of the test's three-partition topic.
PRODUCED = {0: 5, 1: 3, 2: 4}


def produce(settings: Settings, topic: str) -> None:
    producer = Producer({"bootstrap.servers": settings.kafka_bootstrap})
    for partition, count in PRODUCED.items():
        for n in range(count):
            producer.produce(topic, f"{partition}-{n}".encode(), partition=partition)
    assert producer.flush(30) == 0


def commit(settings: Settings, group: str, topic: str, offsets: dict[int, int]) -> None:
    """Commit ``offsets`` for ``group`` as a consumer outside the group: one never subscribed.

    Kafka takes such a commit only while the group has no member; one that just
    left may still be rebalancing away, hence the retries.
    """
    committer = Consumer(
        {
            "bootstrap.servers": settings.kafka_bootstrap,
            "group.id": group,
            "enable.auto.commit": False,
        }
    )
    wanted = [TopicPartition(topic, p, offset) for p, offset in offsets.items()]

    def committed() -> bool:
        try:
            committer.commit(offsets=wanted, asynchronous=False)
        except KafkaException:
            return False
        return True

    try:
        assert wait_until(committed, 30), f"could not commit {offsets} for {group}"
    finally:
        committer.close()


def lag_json(settings: Settings, group: str) -> list[dict[str, Any]]:
    """The group's partitions as `orderflow lag --group G --json` prints them."""
    document = json.loads(ok(orderflow(settings, "lag", "--group", group, "--json")))
    [found] = document["groups"]
    assert found["group"] == group
    assert found["lag"] == sum(p["lag"] for p in found["partitions"])
    partitions: list[dict[str, Any]] = found["partitions"]
    return partitions


def shown(partitions: list[dict[str, Any]]) -> dict[int, tuple[int | None, int, int, str | None]]:
    """Partition -> (committed, log end, lag, owner)."""
    return {
        p["partition"]: (p["committed"], p["log_end"], p["lag"], p["owner"]) for p in partitions
    }


class Members:
    """Subscribed consumers of a group, each holding partitions until it leaves."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.consumers: list[Consumer] = []

    def join(self, group: str, topic: str) -> str:
        """A member holding every partition of ``topic``; its client id, as a service's."""
        client_id = member_client_id(group, os.getpid())
        assigned: list[TopicPartition] = []
        consumer = Consumer(
            {
                "bootstrap.servers": self.settings.kafka_bootstrap,
                "group.id": group,
                "client.id": client_id,
                # It must not move the offsets the test committed.
                "enable.auto.commit": False,
                "auto.offset.reset": "earliest",
            }
        )
        self.consumers.append(consumer)
        consumer.subscribe([topic], on_assign=lambda _c, held: assigned.extend(held))

        def holds_all() -> bool:
            consumer.poll(0.2)
            return len(assigned) == len(PRODUCED)

        assert wait_until(holds_all, 60), f"{client_id} got {assigned}"
        return client_id

    def leave(self) -> None:
        for consumer in self.consumers:
            consumer.close()
        self.consumers.clear()


@pytest.fixture
def members(stack: Settings) -> Iterator[Members]:
    found = Members(stack)
    try:
        yield found
    finally:
        found.leave()


def test_lag_per_partition_then_none(stack: Settings, topic: str, members: Members) -> None:
    group = unique("lag-group")
    produce(stack, topic)
    commit(stack, group, topic, {0: 2, 1: 3})

    # A group with no member shows what it committed on, nobody holding it.
    expected = {0: (2, 5, 3, None), 1: (3, 3, 0, None)}
    assert shown(lag_json(stack, group)) == expected
    rows = group_lag(stack, [group])
    assert {r.partition: (r.committed, r.log_end, r.lag, r.owner) for r in rows} == expected
    assert {(r.group, r.topic, r.log_start) for r in rows} == {(group, topic, 0)}

    # With a member, every partition it holds shows, committed or not: partition 2
    # has no commit, so all of it is lag, counted from the low watermark.
    client_id = members.join(group, topic)
    assert shown(lag_json(stack, group)) == {
        0: (2, 5, 3, client_id),
        1: (3, 3, 0, client_id),
        2: (None, 4, 4, client_id),
    }
    table = ok(orderflow(stack, "lag", "--group", group, COLUMNS="200"))
    assert client_id in table
    assert f"total lag: {group} 7" in table

    # A commit from outside the group is refused while it has a member.
    members.leave()
    commit(stack, group, topic, PRODUCED)
    assert shown(lag_json(stack, group)) == {p: (n, n, 0, None) for p, n in PRODUCED.items()}
    assert [r.lag for r in group_lag(stack, [group])] == [0, 0, 0]


def test_lag_of_every_service_s_group_by_default(stack: Settings) -> None:
    document = json.loads(ok(orderflow(stack, "lag", "--json")))
    assert [g["group"] for g in document["groups"]] == [s.group for s in CONSUMERS]


def test_lag_with_no_broker_is_one_line(stack: Settings) -> None:
    (nobody,) = free_ports(1)
    done = orderflow(stack, "lag", "--timeout", "1", ORDERFLOW_KAFKA_PORT=str(nobody))
    assert done.returncode == 1
    assert done.stderr.splitlines() == [
        f"error: no Kafka broker answered at {stack.host}:{nobody} within 1 s; "
        "is the stack up? (orderflow stack up)"
    ]


def test_status_json_has_every_component_and_exits_as_the_table_does(stack: Settings) -> None:
    done = orderflow(stack, "status", "--json")
    document = json.loads(done.stdout)
    by_name = {c["name"]: c for c in document["components"]}
    assert list(by_name) == [c.name for c in EVERYTHING]

    for part in STACK:
        found = by_name[part.name]
        assert found["pid"] is not None, found
        assert found["healthy"] is True, found
        assert found["port"] == part.port(stack)
        assert found["metrics_url"] == part.metrics(stack)
    assert by_name["registry"]["readyz"]["ready"] is True
    assert by_name["postgres"]["readyz"] is None

    # The launcher started no service here (no pid file). The e2e tests' services
    # may answer on the same ports, started by the test session itself: then the
    # service is external and healthy, else down; /readyz says which, right now.
    for service in SERVICES:
        found = by_name[service.name]
        assert found["pid"] is None
        assert found["healthy"] is found["external"], found
        url = f"http://{stack.host}:{service.port(stack)}/readyz"
        assert found["readyz"]["ready"] is answers_ok(url), found
    groups = document["consumer_groups"]
    assert groups is not None, "Kafka did not describe the groups"
    assert [g["group"] for g in groups] == [s.group for s in CONSUMERS]
    assert document["connector"] is not None, "the connector is not registered"
    assert document["connector"]["name"] == outbox_connector(stack)[0]
    assert document["supervisor"]["state"] == "not running"

    # Well only if every service answers (the e2e tests' ones, external); else it is 1.
    assert done.returncode == (0 if document["healthy"] else 1)
    if not all(by_name[s.name]["external"] for s in SERVICES):
        assert document["healthy"] is False

    # The table judges as the document does. Services of the e2e tests may come and
    # go between two reads: the two agree once a pair of reads saw the same system.
    def agree() -> bool:
        shown = orderflow(stack, "status", "--json")
        return orderflow(stack, "status").returncode == shown.returncode

    assert wait_until(agree, 60, interval_s=1), "status and status --json exit differently"


def test_stack_status_json_exits_as_the_table_does(stack: Settings) -> None:
    done = orderflow(stack, "stack", "status", "--json")
    document = json.loads(done.stdout)
    assert [c["name"] for c in document["components"]] == [c.name for c in STACK]
    assert document["consumer_groups"] == []
    assert document["healthy"] is (done.returncode == 0)
    assert orderflow(stack, "stack", "status").returncode == done.returncode
