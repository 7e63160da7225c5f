"""A dead letter as `orderflow dead-letters list` reads it: the headers DeadLetters writes."""

from __future__ import annotations

from dataclasses import replace
from typing import Any, cast

from confluent_kafka import Message, Producer

from orderflow.messaging.deadletters import DeadLetters
from orderflow.tools.dead_letters_view import (
    COLUMNS,
    DeadLetter,
    LetterId,
    Origin,
    chronological,
    dead_letter_of,
    letter_document,
    shown_time,
    table_cells,
    table_time,
)
from orderflow.tools.record_view import Record

OWN_HEADERS = [
    ("id", b"6f1c4d2e-0000-4000-8000-000000000001"),
    ("eventType", b"OrderCreated"),
    ("traceparent", b"00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"),
]
AT_MS = 1_796_303_455_123  # 2026-12-03T13:10:55.123Z


class Captured:
    """Stands in for the Producer: keeps what DeadLetters.send produced."""

    def __init__(self) -> None:
        self.produced: list[dict[str, Any]] = []

    def produce(self, topic: str, **fields: Any) -> None:
        self.produced.append({"topic": topic, **fields})


class Consumed:
    """Stands in for a consumed Message: only what DeadLetters.send reads."""

    def __init__(self, topic: str, partition: int, offset: int) -> None:
        self._where = (topic, partition, offset)

    def topic(self) -> str:
        return self._where[0]

    def partition(self) -> int:
        return self._where[1]

    def offset(self) -> int:
        return self._where[2]

    def key(self) -> bytes:
        return b"order-1"

    def value(self) -> bytes:
        return b"\x00\x00\x00\x00\x07body"

    def headers(self) -> list[tuple[str, bytes]]:
        return list(OWN_HEADERS)


def written(reason: str, group: str = "inventory-service") -> Record:
    """What DeadLetters puts on the topic for a record of OrderEventsTopic[2]@40, as read
    back at partition 3, offset 17."""
    producer = Captured()
    letters = DeadLetters(cast(Producer, producer), group)
    letters.send(cast(Message, Consumed("OrderEventsTopic", 2, 40)), reason)
    (sent,) = producer.produced
    return Record(
        topic=sent["topic"],
        partition=3,
        offset=17,
        key=sent["key"],
        value=sent["value"],
        headers=tuple(sent["headers"]),
        timestamp_ms=AT_MS,
        timestamp_type="CreateTime",
    )


def test_a_dead_letter_says_why_from_where_and_which_group() -> None:
    letter = dead_letter_of(written("handler failed: InsufficientPrivilege('denied')"))

    assert letter.id == LetterId(3, 17)
    assert str(letter.id) == "3:17"
    assert letter.reason == "handler failed: InsufficientPrivilege('denied')"
    assert letter.origin == Origin("OrderEventsTopic", 2, 40)
    assert letter.group == "inventory-service"
    assert letter.timestamp_ms == AT_MS
    assert letter.key == b"order-1"
    assert letter.value == b"\x00\x00\x00\x00\x07body"
    assert letter.replayed_from is None


def test_its_own_headers_are_the_record_s_without_the_dead_letter_ones() -> None:
    letter = dead_letter_of(written("undecodable: empty payload"))

    assert letter.headers == tuple(OWN_HEADERS)
    assert letter.header("eventType") == "OrderCreated"


def test_a_replay_that_failed_again_names_the_dead_letter_it_came_from() -> None:
    record = written("handler failed: again")
    replayed = replace(
        record, headers=(*record.headers, ("dlq.replayed.from", b"DeadLetterTopic:3:9"))
    )

    letter = dead_letter_of(replayed)

    assert letter.replayed_from == "DeadLetterTopic:3:9"
    assert ("dlq.replayed.from", b"DeadLetterTopic:3:9") not in letter.headers
    assert table_cells(letter)[-1] == "handler failed: again (a replay of DeadLetterTopic:3:9)"


def test_without_its_source_headers_a_dead_letter_has_no_origin() -> None:
    record = written("x")
    no_offset = replace(record, headers=[h for h in record.headers if h[0] != "dlq.source.offset"])
    not_a_number = replace(
        record,
        headers=[
            ("dlq.source.partition", b"two") if h[0] == "dlq.source.partition" else h
            for h in record.headers
        ],
    )
    bare = Record("DeadLetterTopic", 0, 5, b"k", b"v")

    assert dead_letter_of(no_offset).origin is None
    assert dead_letter_of(not_a_number).origin is None
    assert dead_letter_of(bare).origin is None
    assert dead_letter_of(bare).reason is None


def test_a_row_shows_each_field_and_a_dash_for_what_is_unknown() -> None:
    full = table_cells(dead_letter_of(written("undecodable: empty payload")))
    bare = table_cells(dead_letter_of(Record("DeadLetterTopic", 0, 5, None, None)))

    assert len(COLUMNS) == len(full)
    assert full == [
        "3:17\n2026-12-03 13:10:55",
        "OrderEventsTopic[2]@40\ninventory-service",
        "undecodable: empty payload",
    ]
    assert bare == ["0:5\n-", "-\n-", "-"]


def test_a_binary_reason_is_escaped_in_the_table() -> None:
    letter = dead_letter_of(written("bad \x1b[31m colour"))

    assert table_cells(letter)[-1] == "bad \\x1b[31m colour"


def test_the_json_object_has_every_field() -> None:
    document = letter_document(dead_letter_of(written("why")), "DeadLetterTopic")

    assert document == {
        "id": "3:17",
        "topic": "DeadLetterTopic",
        "partition": 3,
        "offset": 17,
        "timestamp": AT_MS,
        "time": "2026-12-03T13:10:55.123Z",
        "reason": "why",
        "group": "inventory-service",
        "origin_topic": "OrderEventsTopic",
        "origin_partition": 2,
        "origin_offset": 40,
        "event_type": "OrderCreated",
        "event_id": "6f1c4d2e-0000-4000-8000-000000000001",
        "key": "order-1",
        "key_encoding": "text",
        "replayed_from": None,
        "headers": {name: value.decode() for name, value in OWN_HEADERS},
    }


def test_a_binary_key_is_hex_in_the_json() -> None:
    letter = dead_letter_of(Record("DeadLetterTopic", 0, 5, b"\xff\x00", None))

    document = letter_document(letter, "DeadLetterTopic")

    assert (document["key"], document["key_encoding"]) == ("ff00", "hex")
    assert document["origin_topic"] is None


def _at(partition: int, offset: int, timestamp_ms: int | None) -> DeadLetter:
    return dead_letter_of(Record("D", partition, offset, None, None, timestamp_ms=timestamp_ms))


def test_letters_come_oldest_first_across_partitions() -> None:
    letters = [_at(0, 9, 300), _at(1, 0, 100), _at(0, 8, 200), _at(2, 4, None)]

    assert [str(letter.id) for letter in chronological(letters)] == ["2:4", "1:0", "0:8", "0:9"]


def test_a_time_is_utc_to_the_millisecond_in_json_to_the_second_in_the_table() -> None:
    assert shown_time(0) == "1970-01-01T00:00:00.000Z"
    assert shown_time(AT_MS) == "2026-12-03T13:10:55.123Z"
    assert shown_time(None) is None
    assert table_time(AT_MS) == "2026-12-03 13:10:55"
    assert table_time(None) == "-"
