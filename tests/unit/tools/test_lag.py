"""`group_lag` and `orderflow lag` over fakes of Kafka's metadata, offsets and groups."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass, field

import pytest
from confluent_kafka import OFFSET_INVALID, KafkaError, KafkaException, TopicPartition
from typer.testing import CliRunner

from orderflow.cli import app
from orderflow.services import CONSUMERS
from orderflow.services.payment.service import PAYMENT
from orderflow.settings import Settings
from orderflow.stack import groups
from orderflow.stack.groups import GroupState
from orderflow.tools import group_offsets, lag
from orderflow.tools.broker import unreachable
from orderflow.tools.errors import ToolError
from orderflow.tools.lag import LagReport, group_lag, read_lag
from orderflow.tools.lag_view import PartitionLag

SERVICE = PAYMENT  # one topic: the payment service reads the shipping events
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
    """What the groups' description says; None: it failed."""
    listed: dict[str, tuple[str, ...]] | None = None
    """The topics each group committed on; None: the listing failed."""
    answers: bool = True
    readers: list[FakeConsumer] = field(default_factory=list)
    children: list[str] = field(default_factory=list)
    """Which of the groups' child processes ran: describe, list."""
    ends_asked: list[tuple[str, int]] = field(default_factory=list)


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
        found.children.append("describe")
        if found.states is None:
            return None
        return [s for s in found.states if s.group in asked]

    def listed(
        _settings: Settings, asked: list[str], _timeout_s: float
    ) -> dict[str, tuple[str, ...]] | None:
        found.children.append("list")
        if found.listed is None:
            return None
        return {group: found.listed.get(group, ()) for group in asked}

    def consumer(config: dict[str, object]) -> FakeConsumer:
        reader = FakeConsumer(found, config)
        found.readers.append(reader)
        return reader

    monkeypatch.setattr(group_offsets, "Broker", FakeBroker)
    monkeypatch.setattr(group_offsets, "Consumer", consumer)
    monkeypatch.setattr(groups, "group_states", states)
    monkeypatch.setattr(groups, "committed_topics", listed)
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
        self.kafka.ends_asked.append((tp.topic, tp.partition))
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
    # A declared group's topics are known: no listing of what it committed on.
    assert kafka.children == ["describe"]


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
    kafka.partitions = {"a": 2, "b": 1, "c": 1, "__consumer_offsets": 3}
    kafka.ends = {("a", 0): (0, 9), ("a", 1): (0, 9), ("b", 0): (0, 2), ("c", 0): (0, 1)}
    kafka.commits = {"mine": {("a", 1): 4}}
    kafka.listed = {"mine": ("a",)}
    kafka.states = [GroupState("mine", "STABLE", ("me-1",), (("b", 0, "me-1"),))]

    rows = group_lag(Settings(), ["mine"])

    # Partition a-0 has no commit and no owner: kafka-consumer-groups leaves it out too.
    assert rows == [
        PartitionLag("mine", "a", 1, 4, 0, 9, None),
        PartitionLag("mine", "b", 0, None, 0, 2, "me-1"),
    ]
    [reader] = kafka.readers
    assert sorted({topic for topic, _ in reader.asked}) == ["a", "b"]


def test_a_listed_topic_that_no_longer_exists_is_left_out(kafka: Kafka) -> None:
    kafka.partitions = {"a": 1}
    kafka.ends = {("a", 0): (0, 3)}
    kafka.commits = {"mine": {("a", 0): 1, ("gone", 0): 5}}
    kafka.listed = {"mine": ("a", "gone")}
    kafka.states = [GroupState("mine", "EMPTY", ())]

    assert group_lag(Settings(), ["mine"]) == [PartitionLag("mine", "a", 0, 1, 0, 3, None)]


def test_two_groups_on_one_topic_ask_its_log_ends_once(kafka: Kafka) -> None:
    kafka.partitions = {"a": 1}
    kafka.ends = {("a", 0): (0, 5)}
    kafka.commits = {"one": {("a", 0): 1}, "two": {("a", 0): 4}}
    kafka.listed = {"one": ("a",), "two": ("a",)}
    kafka.states = []

    rows = group_lag(Settings(), ["one", "two", "one"])

    assert [(row.group, row.lag) for row in rows] == [("one", 4), ("two", 1)]
    assert kafka.ends_asked == [("a", 0)]


def test_a_broker_that_does_not_answer_is_one_tool_error_and_no_child(kafka: Kafka) -> None:
    kafka.answers = False
    with pytest.raises(ToolError, match="no Kafka broker answered"):
        group_lag(Settings(), [SERVICE.group, "mine"], timeout_s=1.0)
    assert kafka.children == []


def test_groups_kafka_does_not_describe_show_their_lag_and_no_owners(kafka: Kafka) -> None:
    kafka.partitions = {TOPIC: 1}
    kafka.ends = {(TOPIC, 0): (0, 4)}
    kafka.commits = {SERVICE.group: {(TOPIC, 0): 1}}
    kafka.states = None

    report = read_lag(Settings(), [SERVICE.group], 1.0)

    assert report == LagReport([PartitionLag(SERVICE.group, TOPIC, 0, 1, 0, 4, None)], False)


def test_offsets_kafka_does_not_list_for_another_group_are_one_tool_error(kafka: Kafka) -> None:
    kafka.listed = None
    kafka.states = []
    with pytest.raises(ToolError, match="did not list the offsets committed by mine"):
        group_lag(Settings(), [SERVICE.group, "mine"], timeout_s=1.0)


def test_offsets_kafka_does_not_give_are_one_tool_error(
    kafka: Kafka, monkeypatch: pytest.MonkeyPatch
) -> None:
    kafka.partitions = {TOPIC: 1}
    kafka.states = [GroupState(SERVICE.group, "EMPTY", ())]

    def stops_answering(config: dict[str, object]) -> FakeConsumer:
        kafka.answers = False  # after the metadata, before the offsets
        return FakeConsumer(kafka, config)

    monkeypatch.setattr(group_offsets, "Consumer", stops_answering)
    with pytest.raises(ToolError, match="no Kafka broker answered"):
        group_lag(Settings(), [SERVICE.group], timeout_s=1.0)


def test_the_command_prints_json_or_a_table(kafka: Kafka) -> None:
    kafka.partitions = {"a": 1}
    kafka.ends = {("a", 0): (0, 9)}
    kafka.commits = {"mine": {("a", 0): 4}}
    kafka.listed = {"mine": ("a",)}
    kafka.states = [GroupState("mine", "STABLE", ("me-1",), (("a", 0, "me-1"),))]

    printed = CliRunner().invoke(app, ["lag", "--group", "mine", "--json"])
    assert printed.exit_code == 0, printed.output
    document = json.loads(printed.stdout)
    assert document["owners_known"] is True
    [found] = document["groups"]
    assert (found["group"], found["lag"]) == ("mine", 5)
    assert found["partitions"][0]["owner"] == "me-1"

    shown = CliRunner().invoke(app, ["lag", "--group", "mine"], env={"COLUMNS": "200"})
    assert shown.exit_code == 0, shown.output
    assert "me-1" in shown.stdout
    assert "total lag: mine 5" in shown.stdout
    assert "owners unknown" not in shown.stdout


def test_the_command_says_when_the_owners_are_unknown(kafka: Kafka) -> None:
    kafka.partitions = {"a": 1}
    kafka.ends = {("a", 0): (0, 9)}
    kafka.commits = {"mine": {("a", 0): 4}}
    kafka.listed = {"mine": ("a",)}
    kafka.states = None

    printed = CliRunner().invoke(app, ["lag", "--group", "mine", "--json"])
    assert printed.exit_code == 0, printed.output
    document = json.loads(printed.stdout)
    assert document["owners_known"] is False
    assert document["groups"][0]["partitions"][0]["owner"] is None

    shown = CliRunner().invoke(app, ["lag", "--group", "mine"], env={"COLUMNS": "200"})
    assert shown.exit_code == 0, shown.output
    assert "owners unknown: Kafka did not describe the groups" in shown.stdout


def test_the_command_asks_every_service_s_group_by_default(
    kafka: Kafka, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[list[str]] = []

    def read_lag(_settings: Settings, groups: list[str], _timeout_s: float) -> LagReport:
        asked.append(groups)
        return LagReport([], owners_known=True)

    monkeypatch.setattr(lag, "read_lag", read_lag)

    printed = CliRunner().invoke(app, ["lag", "--json"])

    assert printed.exit_code == 0, printed.output
    assert asked == [[s.group for s in CONSUMERS]]
    assert [g["group"] for g in json.loads(printed.stdout)["groups"]] == asked[0]


def test_the_command_s_module_loads_no_kafka_client() -> None:
    # What the CLI imports to build `orderflow lag`; the client loads when it runs.
    probe = (
        "import sys, orderflow.tools.lag; "
        "print(sorted(m for m in sys.modules if m.startswith('confluent_kafka')))"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
