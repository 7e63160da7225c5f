"""Dead letters and schemas: what the page gets, and a 503 naming the part that is silent."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from orderflow.access import KafkaAccess
from orderflow.dashboard import dead_letters, schemas
from orderflow.dashboard.app import create_app
from orderflow.messaging.deadletters import DEAD_LETTER_TOPIC
from orderflow.settings import Settings
from orderflow.stack.ports import free_ports
from orderflow.tools.record_view import Record


@pytest.fixture
def client(monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:
    kafka, registry = free_ports(2)
    # Nobody listens there: a broker gives up at its timeout, the registry at once.
    monkeypatch.setattr(dead_letters, "TIMEOUT_S", 0.5)
    settings = Settings(kafka_port=kafka, registry_port=registry)
    with TestClient(create_app(settings)) as client:
        yield client


def test_a_broker_that_does_not_answer_is_a_503(client: TestClient) -> None:
    answer = client.get("/api/dead-letters")

    assert answer.status_code == 503
    assert answer.json()["error"] == "kafka_unavailable"
    assert "no Kafka broker answered" in answer.json()["message"]


def test_a_registry_that_does_not_answer_is_a_503(client: TestClient) -> None:
    answer = client.get("/api/schemas")

    assert answer.status_code == 503
    assert answer.json()["error"] == "registry_unavailable"
    assert "no schema registry answered" in answer.json()["message"]


def _letter(partition: int, offset: int, at_ms: int) -> Record:
    headers = [
        ("dlq.reason", b"cannot decode"),
        ("dlq.source.topic", b"OrderEventsTopic"),
        ("dlq.source.partition", b"2"),
        ("dlq.source.offset", str(offset).encode()),
        ("dlq.consumer.group", b"inventory-service"),
    ]
    return Record(DEAD_LETTER_TOPIC, partition, offset, b"o-1", b"\x00", headers, at_ms)


class Topic:
    """The broker and the dead-letter topic's records, as the route reads them."""

    records: list[Record] = []  # noqa: RUF012 - set per test by the fixture
    exists = True

    def __init__(self, *_: object) -> None:
        pass

    def topic_names(self) -> set[str]:
        return {DEAD_LETTER_TOPIC} if self.exists else set()

    def read(self) -> list[Record]:
        return self.records


@pytest.fixture
def topic(monkeypatch: pytest.MonkeyPatch) -> type[Topic]:
    monkeypatch.setattr(dead_letters, "Broker", Topic)
    monkeypatch.setattr(dead_letters, "KafkaLetters", Topic)
    monkeypatch.setattr(Topic, "exists", True)
    monkeypatch.setattr(Topic, "records", [])
    return Topic


def test_the_newest_dead_letters_first_and_no_more_than_the_limit(
    topic: type[Topic], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(dead_letters, "LIMIT", 3)
    topic.records = [_letter(n % 2, n, 1_000 + n) for n in range(5)]

    shown = dead_letters.newest_letters(KafkaAccess("nowhere:1"), DEAD_LETTER_TOPIC, 1.0)

    assert [(d["offset"], d["timestamp"]) for d in shown] == [(4, 1004), (3, 1003), (2, 1002)]
    first = shown[0]
    assert (first["reason"], first["group"]) == ("cannot decode", "inventory-service")
    assert (first["origin_topic"], first["origin_partition"]) == ("OrderEventsTopic", 2)
    assert first["id"] == "0:4"


def test_no_dead_letter_topic_yet_is_no_dead_letters(topic: type[Topic]) -> None:
    topic.exists = False

    assert dead_letters.newest_letters(KafkaAccess("nowhere:1"), DEAD_LETTER_TOPIC, 1.0) == []


def test_the_page_gets_the_topic_and_its_letters(topic: type[Topic], client: TestClient) -> None:
    topic.records = [_letter(0, 7, 1_000)]

    answer = client.get("/api/dead-letters")

    assert answer.status_code == 200
    assert answer.json()["topic"] == DEAD_LETTER_TOPIC
    assert [letter["id"] for letter in answer.json()["letters"]] == ["0:7"]


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ('{"type": "record", "name": "X"}', {"type": "record", "name": "X"}),
        ('"string"', "string"),
        ("not json", "not json"),
    ],
)
def test_a_schema_is_shown_as_json_data_when_it_is_json(text: str, shown: object) -> None:
    assert schemas.parsed(text) == shown
