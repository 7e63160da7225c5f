"""What `orderflow consume` prints for one record: a line of text or a JSON object.

``--format json`` writes one object per record, as ``kcat -J`` does: where the
record sits, its timestamp, key, headers and value. A key or value is shown as
text when it is text (``rendering.is_text``) and as hex otherwise, and says
which in ``key_encoding``/``value_encoding`` ("text", "hex", "avro" once
decoded, or null for a null); so a reader never has to guess whether the
bytes were mangled on the way to the terminal.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from orderflow.events.wire import read_header
from orderflow.tools.rendering import escape_binary, is_text, render_bytes, to_json

Decode = Callable[["Record"], object]
"""A record's value decoded (Avro to plain data); raises ToolError when it cannot be."""

HeaderValue = str | None


@dataclass(frozen=True)
class Record:
    """One consumed message, as plain data."""

    topic: str
    partition: int
    offset: int
    key: bytes | None
    value: bytes | None
    headers: Sequence[tuple[str, bytes | None]] = ()
    timestamp_ms: int | None = None
    timestamp_type: str | None = None
    """``CreateTime`` (the producer's clock) or ``LogAppendTime`` (the broker's)."""


def where(record: Record) -> str:
    return f"{record.topic} partition {record.partition} offset {record.offset}"


def text_line(
    record: Record, decode: Decode | None, *, print_key: bool, print_headers: bool
) -> str:
    """The text format: [headers TAB] [key TAB] value, each one safe line.

    Headers read ``name:value,name:value`` (``NO_HEADERS`` if none), as
    kafka-console-consumer's print.headers shows them.
    """
    fields = []
    if print_headers:
        shown = (f"{name}:{render_bytes(value)}" for name, value in record.headers)
        fields.append(",".join(shown) or "NO_HEADERS")
    if print_key:
        fields.append(render_bytes(record.key))
    # A null value (a tombstone) has nothing to decode, in either format.
    if decode is None or record.value is None:
        fields.append(render_bytes(record.value))
    else:
        fields.append(to_json(decode(record)))
    return "\t".join(fields)


def json_line(record: Record, decode: Decode | None) -> str:
    """The json format: ``record_document`` as one line."""
    return to_json(record_document(record, decode))


def record_document(record: Record, decode: Decode | None) -> dict[str, object]:
    """One record as JSON data; with ``decode``, its value is the decoded record."""
    key, key_encoding = _shown_bytes(record.key)
    value: object
    value_encoding: str | None
    if decode is not None and record.value is not None:
        value, value_encoding = decode(record), "avro"
    else:
        value, value_encoding = _shown_bytes(record.value)
    return {
        "topic": record.topic,
        "partition": record.partition,
        "offset": record.offset,
        "timestamp": record.timestamp_ms,
        "timestamp_type": record.timestamp_type,
        "key": key,
        "key_encoding": key_encoding,
        "headers": header_values(record.headers),
        "value": value,
        "value_encoding": value_encoding,
    }


def _shown_bytes(data: bytes | None) -> tuple[str | None, str | None]:
    if data is None:
        return None, None
    if is_text(data):
        return data.decode("utf-8"), "text"
    return data.hex(), "hex"


def header_values(
    headers: Sequence[tuple[str, bytes | None]],
) -> dict[str, HeaderValue | list[HeaderValue]]:
    """Each header's name to its value; a name given more than once, to its values in order.

    Values are text in practice (the dead letters' ``dlq.reason`` among them);
    one that is not is shown escaped, ``\\xNN`` a byte, as the text format does.
    """
    found: dict[str, list[HeaderValue]] = {}
    for name, value in headers:
        found.setdefault(name, []).append(_header_value(value))
    return {name: values[0] if len(values) == 1 else values for name, values in found.items()}


def _header_value(value: bytes | None) -> HeaderValue:
    if value is None:
        return None
    return value.decode("utf-8") if is_text(value) else escape_binary(value)


def wire_hint(value: bytes | None) -> str | None:
    """What to say when a value read raw looks like Avro in the Confluent wire format."""
    header = read_header(value)
    if header is None:
        return None
    return (
        f"hint: values start with magic byte 0 and a schema id ({header.schema_id}), "
        "the Confluent wire format; add --avro to decode them"
    )
