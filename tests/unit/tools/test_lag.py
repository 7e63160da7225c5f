"""`group_lag` and `orderflow lag` over fakes of Kafka's metadata, offsets and groups."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

import pytest
from confluent_kafka import OFFSET_INVALID, KafkaError, KafkaException, TopicPartition
from typer.testing import CliRunner

from orderflow.cli import app
from orderflow.services import SERVICES
from orderflow.settings import Settings
from orderflow.stack import groups
from orderflow.stack.groups import GroupState
from orderflow.tools import lag
from orderflow.tools.broker import unreachable
from orderflow.tools.errors import ToolError
from orderflow.tools.lag import group_lag
from orderflow.tools.lag_view import PartitionLag

SERVICE = SERVICES[-1]  # one topic: the payment service reads the shipping events
[TOPIC] = SERVICE.topics


@dataclass
class Topic:
    partitions: dict[int, object]


@dataclass
class Metadata:
    topics: dict[str, Topic]


@dataclass
class Kafka:
    """What the fakes answer: partitions per topic, log ends, commits per group."""

    partitions: dict[str, int]
    ends: dict[tuple[str, int], tuple[int, int]]
    commits: dict[str, dict[tuple[str, int], int]] = field(default_factory=dict)
    states: list[GroupState] | None = None
    answers: bool = True
    readers: list[FakeConsumer] = field(default_factory=list)


@pytest.fixture
def kafka(monkeypatch: pytest.MonkeyPatch) -> Kafka:
    found = Kafka(partitions={}, ends={})

    class FakeBroker:
        def __init__(self, bootstrap: str, timeout_s: float) -> None:
            self.bootstrap, self.timeout_s = bootstrap, timeout_s

        def metadata(self) -> Metadata:
            if not found.answers:
                raise unreachable(self.bootstrap, self.timeout_s)
            topics = {t: Topic(dict.fromkeys(range(n))) for t, n in found.partitions.items()}
            return Metadata(topics)

    def states(_settings: Settings, asked: list[str], _timeout_s: float) -> list[GroupState] | None:
        if found.states is None:
            return None
        return [s for s in found.states if s.group in asked]

    def consumer(config: dict[str, object]) -> FakeConsumer:
        reader = FakeConsumer(found, config)
        found.readers.append(reader)
        return reader

    monkeypatch.setattr(lag, "Broker", FakeBroker)
    monkeypatch.setattr(lag, "Consumer", consumer)
    monkeypatch.setattr(groups, "group_states", states)
    return found


class FakeConsumer:
    """committed() and get_watermark_offsets() only: a subscribe would fail the test."""

    def __init__(self, kafka: Kafka, config: dict[str, object]) -> None:
        self.kafka = kafka
        self.config = config
        self.asked: list[tuple[str, int]] = []
        self.closed = False

    def committed(self, partitions: list[TopicPartition], timeout: float) -> list[TopicPartition]:
        if not self.kafka.answers:
            raise KafkaException(KafkaError(KafkaError._TIMED_OUT))
        mine = self.kafka.commits.get(str(self.config["group.id"]), {})
        self.asked += [(tp.topic, tp.partition) for tp in partitions]
        return [
            TopicPartition(
                tp.topic, tp.partition, mine.get((tp.topic, tp.partition), OFFSET_INVALID)
            )
            for tp in partitions
        ]

    def get_watermark_offsets(self, tp: TopicPartition, timeout: float) -> tuple[int, int]:
        return self.kafka.ends[(tp.topic, tp.partition)]

    def close(self) -> None:
        self.closed = True


def test_a_service_s_group_shows_every_partition_of_its_topics(kafka: Kafka) -> None:
    kafka.partitions = {TOPIC: 2, "Elsewhere": 1}
    kafka.ends = {(TOPIC, 0): (0, 10), (TOPIC, 1): (3, 5), ("Elsewhere", 0): (0, 4)}
    kafka.commits = {SERVICE.group: {(TOPIC, 0): 7}}
    kafka.states = [GroupState(SERVICE.group, "STABLE", ("p-1",), ((TOPIC, 0, "p-1"),))]

    rows = group_lag(Settings(), [SERVICE.group])

    assert rows == [
        PartitionLag(SERVICE.group, TOPIC, 0, 7, 0, 10, "p-1"),
        PartitionLag(SERVICE.group, TOPIC, 1, None, 3, 5, None),
    ]
    assert [row.lag for row in rows] == [3, 2]


def test_the_reader_uses_the_group_s_id_commits_nothing_and_is_closed(kafka: Kafka) -> None:
    kafka.partitions = {TOPIC: 1}
    kafka.ends = {(TOPIC, 0): (0, 1)}
    kafka.states = [GroupState(SERVICE.group, "EMPTY", ())]

    group_lag(Settings(), [SERVICE.group])

    [reader] = kafka.readers
    assert reader.config["group.id"] == SERVICE.group
    assert reader.config["enable.auto.commit"] is False
    assert reader.closed


def test_another_group_shows_what_it_committed_on_or_holds(kafka: Kafka) -> None:
    kafka.partitions = {"a": 2, "b": 1, "__consumer_offsets": 3}
    kafka.ends = {("a", 0): (0, 9), ("a", 1): (0, 9), ("b", 0): (0, 2)}
    kafka.commits = {"mine": {("a", 1): 4}}
    kafka.states = [GroupState("mine", "STABLE", ("me-1",), (("b", 0, "me-1"),))]

    rows = group_lag(Settings(), ["mine"])

    assert rows == [
        PartitionLag("mine", "a", 1, 4, 0, 9, None),
        PartitionLag("mine", "b", 0, None, 0, 2, "me-1"),
    ]
    [reader] = kafka.readers
    assert not any(topic.startswith("__") for topic, _ in reader.asked)


def test_a_broker_that_does_not_answer_is_one_tool_error(kafka: Kafka) -> None:
    kafka.answers = False
    with pytest.raises(ToolError, match="no Kafka broker answered"):
        group_lag(Settings(), [SERVICE.group], timeout_s=1.0)


def test_groups_kafka_does_not_describe_are_one_tool_error(kafka: Kafka) -> None:
    kafka.states = None
    with pytest.raises(ToolError, match="did not describe the consumer groups"):
        group_lag(Settings(), [SERVICE.group], timeout_s=1.0)


def test_offsets_kafka_does_not_give_are_one_tool_error(
    kafka: Kafka, monkeypatch: pytest.MonkeyPatch
) -> None:
    kafka.partitions = {TOPIC: 1}
    kafka.states = [GroupState(SERVICE.group, "EMPTY", ())]

    def stops_answering(config: dict[str, object]) -> FakeConsumer:
        kafka.answers = False  # after the metadata, before the offsets
        return FakeConsumer(kafka, config)

    monkeypatch.setattr(lag, "Consumer", stops_answering)
    with pytest.raises(ToolError, match="no Kafka broker answered"):
        group_lag(Settings(), [SERVICE.group], timeout_s=1.0)


def test_the_command_prints_json_or_a_table(kafka: Kafka) -> None:
    kafka.partitions = {"a": 1}
    kafka.ends = {("a", 0): (0, 9)}
    kafka.commits = {"mine": {("a", 0): 4}}
    kafka.states = [GroupState("mine", "STABLE", ("me-1",), (("a", 0, "me-1"),))]

    printed = CliRunner().invoke(app, ["lag", "--group", "mine", "--json"])
    assert printed.exit_code == 0, printed.output
    [found] = json.loads(printed.stdout)["groups"]
    assert (found["group"], found["lag"]) == ("mine", 5)
    assert found["partitions"][0]["owner"] == "me-1"

    shown = CliRunner().invoke(app, ["lag", "--group", "mine"], env={"COLUMNS": "200"})
    assert shown.exit_code == 0, shown.output
    assert "me-1" in shown.stdout
    assert "total lag: mine 5" in shown.stdout


def test_the_command_asks_every_service_s_group_by_default(
    kafka: Kafka, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[list[str]] = []

    def group_lag(_settings: Settings, groups: list[str], _timeout_s: float) -> list[PartitionLag]:
        asked.append(groups)
        return []

    monkeypatch.setattr(lag, "group_lag", group_lag)

    printed = CliRunner().invoke(app, ["lag", "--json"])

    assert printed.exit_code == 0, printed.output
    assert asked == [[s.group for s in SERVICES]]
    assert [g["group"] for g in json.loads(printed.stdout)["groups"]] == asked[0]
