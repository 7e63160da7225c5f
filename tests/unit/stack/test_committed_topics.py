"""The topics a group has committed on, as the groups' child process lists them."""

from __future__ import annotations

import json
from concurrent.futures import Future

import pytest
from confluent_kafka import (
    ConsumerGroupTopicPartitions,
    KafkaError,
    KafkaException,
    TopicPartition,
)
from pydantic import SecretStr

from orderflow.access import KafkaAccess
from orderflow.settings import Settings
from orderflow.stack import groups
from orderflow.stack.groups import committed_topics, parse_committed_topics
from orderflow.stack.ports import free_ports

Answers = dict[str, Future[object]]
NOWHERE = KafkaAccess("nowhere:9092")
# The config of each admin client the child made, in order.
configs: list[dict[str, object]] = []


def _listed(group: str, *held: tuple[str, int, int]) -> Future[object]:
    future: Future[object] = Future()
    partitions = [TopicPartition(topic, p, offset) for topic, p, offset in held]
    future.set_result(ConsumerGroupTopicPartitions(group, partitions))
    return future


def _failed(code: int) -> Future[object]:
    future: Future[object] = Future()
    future.set_exception(KafkaException(KafkaError(code)))
    return future


@pytest.fixture
def answers(monkeypatch: pytest.MonkeyPatch) -> Answers:
    """What the broker answers for each group; the child's admin client asks this table."""
    import confluent_kafka.admin

    table: Answers = {}
    configs.clear()

    class FakeAdmin:
        def __init__(self, config: dict[str, object]) -> None:
            configs.append(config)

        def list_consumer_group_offsets(
            self, asked: list[ConsumerGroupTopicPartitions], request_timeout: float
        ) -> dict[str, Future[object]]:
            # The real client takes one group per request and raises on more.
            [request] = asked
            assert request.topic_partitions is None, "asked for every topic of the group"
            return {request.group_id: table[request.group_id]}

    monkeypatch.setattr(confluent_kafka.admin, "AdminClient", FakeAdmin)
    return table


def test_the_child_lists_each_group_s_topics_once_sorted(answers: Answers) -> None:
    answers["mine"] = _listed("mine", ("b", 0, 3), ("a", 1, 4), ("a", 0, 9))
    answers["other"] = _listed("other")

    listed = groups.list_committed_topics(NOWHERE, ["mine", "other"], 1.0)

    assert parse_committed_topics(json.dumps(listed), ["mine", "other"]) == {
        "mine": ("a", "b"),
        "other": (),
    }


def test_a_group_kafka_does_not_know_has_committed_on_nothing(answers: Answers) -> None:
    answers["ghost"] = _failed(KafkaError.GROUP_ID_NOT_FOUND)
    answers["mine"] = _listed("mine", ("a", 0, 1))

    assert groups.list_committed_topics(NOWHERE, ["ghost", "mine"], 1.0) == {
        "ghost": [],
        "mine": ["a"],
    }


def test_a_broker_failure_for_one_group_is_no_answer_at_all(answers: Answers) -> None:
    answers["mine"] = _listed("mine", ("a", 0, 1))
    answers["other"] = _failed(KafkaError._TRANSPORT)

    assert groups.list_committed_topics(NOWHERE, ["mine", "other"], 1.0) is None


def test_a_missing_group_or_garbled_output_reads_as_no_answer() -> None:
    assert parse_committed_topics(json.dumps({"other": []}), ["mine"]) is None
    assert parse_committed_topics("Assertion `eonce->refcnt > 0' failed", ["mine"]) is None


def test_the_child_s_mode_picks_the_listing(
    answers: Answers, capsys: pytest.CaptureFixture[str]
) -> None:
    answers["mine"] = _listed("mine", ("a", 0, 1))

    assert groups.main([groups.COMMITTED_TOPICS, "1.0", "mine"]) == 0

    assert json.loads(capsys.readouterr().out) == {"mine": ["a"]}


def test_the_child_reaches_kafka_with_the_settings_of_its_environment(
    answers: Answers, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    settings = Settings(
        kafka_bootstrap_servers="b1:9093,b2:9093",
        kafka_security_protocol="SASL_SSL",
        kafka_sasl_username="svc",
        kafka_sasl_password=SecretStr("s3cret"),
    )
    for name, value in settings.as_env().items():
        monkeypatch.setenv(name, value)
    answers["mine"] = _listed("mine")

    assert groups.main([groups.COMMITTED_TOPICS, "1.0", "mine"]) == 0

    [config] = configs
    assert config["bootstrap.servers"] == "b1:9093,b2:9093"
    assert (config["sasl.username"], config["sasl.password"]) == ("svc", "s3cret")


def test_a_kafka_that_does_not_answer_is_none_and_the_caller_lives_on() -> None:
    (nobody,) = free_ports(1)
    settings = Settings(host="127.0.0.1", kafka_port=nobody)
    assert committed_topics(settings, ["mine"], timeout_s=1.0) is None
