"""What `orderflow dead-letters list` shows of a dead letter: why, and from where.

Pure: a record read from the dead-letter topic comes in as a ``Record``; its
``dlq.*`` headers, as ``messaging.deadletters.DeadLetters`` writes them, are
parsed into a ``DeadLetter``; the table's cells and the JSON object go out.
A dead letter is named by its partition and offset on the dead-letter topic
(``LetterId``, shown ``3:17``): the topic has several partitions, so an
offset alone can name several records.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from orderflow.tools.record_view import HeaderValue, Record, header_values
from orderflow.tools.rendering import is_text

Headers = tuple[tuple[str, bytes | None], ...]

# The headers DeadLetters puts before the record's own.
REASON = "dlq.reason"
SOURCE_TOPIC = "dlq.source.topic"
SOURCE_PARTITION = "dlq.source.partition"
SOURCE_OFFSET = "dlq.source.offset"
CONSUMER_GROUP = "dlq.consumer.group"
REPLAYED_FROM = "dlq.replayed.from"
"""Put on a replayed record: the dead letter it was sent from, ``DeadLetterTopic:3:17``."""
PREFIX = "dlq."
"""Every header of the dead-letter machinery starts so; none of the record's own does."""
# The record's own headers, as the outbox connector writes them.
EVENT_ID = "id"
EVENT_TYPE = "eventType"


@dataclass(frozen=True, order=True)
class LetterId:
    """Where a dead letter sits on the dead-letter topic; ``replay`` takes it as ``3:17``."""

    partition: int
    offset: int

    def __str__(self) -> str:
        return f"{self.partition}:{self.offset}"


@dataclass(frozen=True)
class Origin:
    """Where the record was when its consumer gave up on it."""

    topic: str
    partition: int
    offset: int


@dataclass(frozen=True)
class DeadLetter:
    id: LetterId
    timestamp_ms: int | None
    """When it was dead-lettered (the dead letter's own timestamp)."""
    reason: str | None
    group: str | None
    origin: Origin | None
    """None when its ``dlq.source.*`` headers are missing or not numbers: not replayable."""
    key: bytes | None
    value: bytes | None
    headers: Headers
    """The record's own headers, in order: every ``dlq.*`` header taken out."""
    replayed_from: str | None = None
    """Set when this record was itself a replay that failed again."""

    def header(self, name: str) -> str | None:
        """The first of the record's own headers called ``name``, as text."""
        return _first(header_values(self.headers).get(name))


def dead_letter_of(record: Record) -> DeadLetter:
    """A record of the dead-letter topic, its ``dlq.*`` headers read (the first of each name)."""
    found = header_values(record.headers)
    return DeadLetter(
        id=LetterId(record.partition, record.offset),
        timestamp_ms=record.timestamp_ms,
        reason=_first(found.get(REASON)),
        group=_first(found.get(CONSUMER_GROUP)),
        origin=_origin(found),
        key=record.key,
        value=record.value,
        headers=tuple((n, v) for n, v in record.headers if not n.startswith(PREFIX)),
        replayed_from=_first(found.get(REPLAYED_FROM)),
    )


def _first(value: HeaderValue | list[HeaderValue]) -> str | None:
    return value[0] if isinstance(value, list) else value


def _origin(found: dict[str, HeaderValue | list[HeaderValue]]) -> Origin | None:
    topic = _first(found.get(SOURCE_TOPIC))
    partition = _first(found.get(SOURCE_PARTITION))
    offset = _first(found.get(SOURCE_OFFSET))
    if not topic or partition is None or offset is None:
        return None
    if not (partition.isdecimal() and offset.isdecimal()):
        return None
    return Origin(topic, int(partition), int(offset))


def chronological(letters: Iterable[DeadLetter]) -> list[DeadLetter]:
    """Oldest first; across partitions by time, within one by offset."""
    return sorted(letters, key=lambda letter: (letter.timestamp_ms or 0, letter.id))


def shown_time(timestamp_ms: int | None) -> str | None:
    """A timestamp as ISO 8601 in UTC, to the millisecond: ``2026-12-03T13:10:55.123Z``."""
    if timestamp_ms is None:
        return None
    at = datetime.fromtimestamp(timestamp_ms / 1000, UTC)
    return at.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def table_time(timestamp_ms: int | None) -> str:
    """A timestamp in UTC to the second, for the table: ``2026-12-03 13:10:55``."""
    if timestamp_ms is None:
        return "-"
    return datetime.fromtimestamp(timestamp_ms // 1000, UTC).strftime("%Y-%m-%d %H:%M:%S")


# Two fields a cell, so that the reason keeps most of an 80-column terminal; the
# key and the event type are the JSON's only.
COLUMNS = ("id\ndead-lettered (UTC)", "origin\ngroup", "reason")


def shown_origin(origin: Origin | None) -> str:
    """Where the record was, as the consumer's log line says it: ``OrderEventsTopic[2]@40``."""
    return "-" if origin is None else f"{origin.topic}[{origin.partition}]@{origin.offset}"


def table_cells(letter: DeadLetter) -> list[str]:
    """One row of the table; what a dead letter does not say is a dash."""
    reason = letter.reason or "-"
    if letter.replayed_from is not None:
        reason += f" (a replay of {letter.replayed_from})"
    return [
        f"{letter.id}\n{table_time(letter.timestamp_ms)}",
        f"{shown_origin(letter.origin)}\n{letter.group or '-'}",
        reason,
    ]


def letter_document(letter: DeadLetter, topic: str) -> dict[str, object]:
    """One dead letter as JSON data, for ``list --json``: one object a line."""
    origin = letter.origin
    key, key_encoding = _shown_key(letter.key)
    return {
        "id": str(letter.id),
        "topic": topic,
        "partition": letter.id.partition,
        "offset": letter.id.offset,
        "timestamp": letter.timestamp_ms,
        "time": shown_time(letter.timestamp_ms),
        "reason": letter.reason,
        "group": letter.group,
        "origin_topic": origin.topic if origin else None,
        "origin_partition": origin.partition if origin else None,
        "origin_offset": origin.offset if origin else None,
        "event_type": letter.header(EVENT_TYPE),
        "event_id": letter.header(EVENT_ID),
        "key": key,
        "key_encoding": key_encoding,
        "replayed_from": letter.replayed_from,
        "headers": header_values(letter.headers),
    }


def _shown_key(key: bytes | None) -> tuple[str | None, str | None]:
    """As ``consume --format json`` shows a key: text as text, anything else in hex."""
    if key is None:
        return None, None
    if is_text(key):
        return key.decode("utf-8"), "text"
    return key.hex(), "hex"


def summary(letters: Sequence[DeadLetter], topic: str) -> str:
    count = len(letters)
    return f"{count} dead letter{'' if count == 1 else 's'} on {topic}"
