"""What `orderflow consume` prints for a record, as text and as kcat -J's JSON."""

from __future__ import annotations

import json

import pytest
from confluent_kafka import TIMESTAMP_CREATE_TIME, TIMESTAMP_LOG_APPEND_TIME, Message

from orderflow.tools.consume import record_of
from orderflow.tools.errors import ToolError
from orderflow.tools.record_view import (
    Record,
    header_values,
    json_line,
    record_document,
    text_line,
    wire_hint,
)

FRAMED = b"\x00\x00\x00\x00\x07\x06o-1"
DEAD_LETTER = Record(
    topic="DeadLetterTopic",
    partition=2,
    offset=41,
    key=b"o-1",
    value=FRAMED,
    headers=(("dlq.reason", b"poison: no handler"), ("dlq.source.offset", b"7")),
    timestamp_ms=1_700_000_000_123,
    timestamp_type="CreateTime",
)


def decoded(record: Record) -> object:
    return {"order_id": "o-1", "bytes_read": len(record.value or b"")}


def test_the_json_document_of_a_binary_value() -> None:
    assert json.loads(json_line(DEAD_LETTER, None)) == {
        "topic": "DeadLetterTopic",
        "partition": 2,
        "offset": 41,
        "timestamp": 1_700_000_000_123,
        "timestamp_type": "CreateTime",
        "key": "o-1",
        "key_encoding": "text",
        "headers": {"dlq.reason": "poison: no handler", "dlq.source.offset": "7"},
        "value": "000000000706" + b"o-1".hex(),
        "value_encoding": "hex",
    }


def test_with_avro_the_value_is_the_decoded_record() -> None:
    document = record_document(DEAD_LETTER, decoded)
    assert document["value"] == {"order_id": "o-1", "bytes_read": 9}
    assert document["value_encoding"] == "avro"
    assert json.loads(json_line(DEAD_LETTER, decoded))["value"] == document["value"]


def test_text_values_and_keys_stay_text_and_nulls_are_null() -> None:
    record = Record("t", 0, 0, key=b"\xff\x01", value="Grüße\n".encode())
    document = record_document(record, None)
    assert (document["value"], document["value_encoding"]) == ("Grüße\n", "text")
    assert (document["key"], document["key_encoding"]) == ("ff01", "hex")
    assert (document["timestamp"], document["timestamp_type"], document["headers"]) == (
        None,
        None,
        {},
    )
    tombstone = record_document(Record("t", 0, 1, key=None, value=None), decoded)
    assert (tombstone["value"], tombstone["value_encoding"]) == (None, None)
    assert (tombstone["key"], tombstone["key_encoding"]) == (None, None)


def test_a_json_line_is_one_line_whatever_the_value() -> None:
    record = Record("t", 0, 0, key=b"k\n", value="a\nb\u2028".encode(), headers=(("h", b"x\ny"),))
    shown = json_line(record, None)
    assert shown.isprintable(), shown
    assert json.loads(shown)["headers"] == {"h": "x\ny"}


def test_header_values_keep_repeats_nulls_and_binary() -> None:
    headers = (("id", b"1"), ("trace", None), ("id", b"2"), ("raw", b"\x00\xff"))
    assert header_values(headers) == {"id": ["1", "2"], "trace": None, "raw": "\\x00\\xff"}


@pytest.mark.parametrize(
    ("print_key", "print_headers", "line"),
    [
        (False, False, "\\x00\\x00\\x00\\x00\\x07\\x06o-1"),
        (True, False, "o-1\t\\x00\\x00\\x00\\x00\\x07\\x06o-1"),
        (
            True,
            True,
            "dlq.reason:poison: no handler,dlq.source.offset:7\to-1\t"
            "\\x00\\x00\\x00\\x00\\x07\\x06o-1",
        ),
    ],
)
def test_text_line(print_key: bool, print_headers: bool, line: str) -> None:
    shown = text_line(DEAD_LETTER, None, print_key=print_key, print_headers=print_headers)
    assert shown == line


def test_text_line_without_headers_and_decoded() -> None:
    record = Record("t", 0, 0, key=None, value=FRAMED)
    shown = text_line(record, decoded, print_key=True, print_headers=True)
    assert shown == 'NO_HEADERS\tnull\t{"order_id": "o-1", "bytes_read": 9}'
    tombstone = Record("t", 0, 1, key=None, value=None)
    assert text_line(tombstone, decoded, print_key=False, print_headers=False) == "null"


def test_a_decoding_failure_reaches_the_caller() -> None:
    def refuse(record: Record) -> object:
        raise ToolError(f"offset {record.offset} is not Avro")

    with pytest.raises(ToolError, match="offset 41 is not Avro"):
        json_line(DEAD_LETTER, refuse)


@pytest.mark.parametrize(
    ("value", "hinted"),
    [(FRAMED, True), (b"\x00\x00\x00\x00\x07", True), (b"\x00\x00\x00", False), (b"{}", False)],
)
def test_wire_hint(value: bytes, hinted: bool) -> None:
    hint = wire_hint(value)
    assert (hint is not None) is hinted
    if hint is not None:
        assert hint == (
            "hint: values start with magic byte 0 and a schema id (7), "
            "the Confluent wire format; add --avro to decode them"
        )


def test_record_of_a_consumed_message() -> None:
    message = Message(
        topic="t", partition=2, offset=7, key=b"k", value=b"v",
        headers=[("a", b"1"), ("b", None)], timestamp=(TIMESTAMP_LOG_APPEND_TIME, 123),
    )  # fmt: skip
    assert record_of(message) == Record(
        "t", 2, 7, b"k", b"v", (("a", b"1"), ("b", None)), 123, "LogAppendTime"
    )
    created = Message(topic="t", partition=0, offset=0, timestamp=(TIMESTAMP_CREATE_TIME, 5))
    assert (record_of(created).timestamp_ms, record_of(created).timestamp_type) == (
        5,
        "CreateTime",
    )
    unknown = record_of(Message(topic="t", partition=0, offset=0))
    assert (unknown.timestamp_ms, unknown.timestamp_type, unknown.headers) == (None, None, ())
