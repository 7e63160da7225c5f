"""Who holds which partition, as the groups' child process reports it."""

from __future__ import annotations

import json
from concurrent.futures import Future

import pytest
from confluent_kafka import (
    ConsumerGroupState,
    KafkaError,
    KafkaException,
    Node,
    TopicPartition,
)
from confluent_kafka.admin import (  # type: ignore[attr-defined]
    ConsumerGroupDescription,
    MemberAssignment,
    MemberDescription,
)

from orderflow.access import KafkaAccess
from orderflow.stack import groups
from orderflow.stack.groups import GroupState, parse_states

NOWHERE = KafkaAccess("nowhere:9092")


def test_the_owner_of_a_partition_is_the_member_holding_it() -> None:
    printed = json.dumps(
        {
            "inventory": {
                "state": "STABLE",
                "client_ids": ["inventory-41", "inventory-42"],
                "assignments": [["Orders", 0, "inventory-41"], ["Orders", 1, "inventory-42"]],
            }
        }
    )
    [state] = parse_states(printed, ["inventory"]) or []

    assert state.owner("Orders", 0) == "inventory-41"
    assert state.owner("Orders", 1) == "inventory-42"
    assert state.owner("Orders", 2) is None
    assert state.owner("Payments", 0) is None


def test_a_group_without_assignments_owns_nothing() -> None:
    assert GroupState("payment", "EMPTY", ()).owner("Orders", 0) is None


def _described(
    group: str, state: ConsumerGroupState, *members: tuple[str, list[TopicPartition]]
) -> Future[object]:
    future: Future[object] = Future()
    future.set_result(
        ConsumerGroupDescription(
            group, False,
            [MemberDescription(f"m-{c}", c, "host", MemberAssignment(held)) for c, held in members],
            "cooperative-sticky", state, Node(1, "127.0.0.1", 9092),
        )
    )  # fmt: skip
    return future


def _failed(code: int) -> Future[object]:
    future: Future[object] = Future()
    future.set_exception(KafkaException(KafkaError(code)))
    return future


Answers = dict[str, Future[object]]


@pytest.fixture
def answers(monkeypatch: pytest.MonkeyPatch) -> Answers:
    """What the broker answers for each group; the child's admin client asks this table."""
    import confluent_kafka.admin

    table: Answers = {}

    class FakeAdmin:
        def __init__(self, _config: dict[str, object]) -> None:
            pass

        def describe_consumer_groups(
            self, asked: list[str], request_timeout: float
        ) -> dict[str, Future[object]]:
            return {group: table[group] for group in asked}

    monkeypatch.setattr(confluent_kafka.admin, "AdminClient", FakeAdmin)
    return table


def test_the_child_reports_each_member_s_partitions(answers: Answers) -> None:
    answers["inventory"] = _described(
        "inventory",
        ConsumerGroupState.STABLE,
        ("inventory-41", [TopicPartition("Orders", 0), TopicPartition("Payments", 2)]),
        ("inventory-42", []),
    )
    described = groups.describe(NOWHERE, ["inventory"], 1.0)

    assert described is not None
    [state] = parse_states(json.dumps(described), ["inventory"]) or []
    assert (state.state, state.client_ids) == ("STABLE", ("inventory-41", "inventory-42"))
    assert state.owners == (("Orders", 0, "inventory-41"), ("Payments", 2, "inventory-41"))


def test_an_unknown_group_reads_as_dead_and_its_neighbours_still_show(
    answers: Answers,
) -> None:
    answers["ghost"] = _failed(KafkaError.GROUP_ID_NOT_FOUND)
    answers["payment"] = _described("payment", ConsumerGroupState.EMPTY)

    described = groups.describe(NOWHERE, ["ghost", "payment"], 1.0)

    states = parse_states(json.dumps(described), ["ghost", "payment"])
    assert states is not None
    assert [(s.group, s.members, s.owners) for s in states] == [
        ("ghost", 0, ()),
        ("payment", 0, ()),
    ]
    assert [s.state for s in states] == ["DEAD", "EMPTY"]


def test_a_broker_failure_for_one_group_is_no_answer_at_all(answers: Answers) -> None:
    answers["payment"] = _failed(KafkaError._TRANSPORT)

    assert groups.describe(NOWHERE, ["payment"], 1.0) is None
