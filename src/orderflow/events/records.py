"""Events to and from the plain dicts the Avro schemas describe.

Field names are the dataclass fields in camelCase; ``eventType`` is the class
name. Decoding checks what Avro cannot: that the event type belongs on the
topic it came from and that required text is present.
"""

from __future__ import annotations

import uuid
from dataclasses import fields
from datetime import UTC, datetime
from typing import Any

from orderflow.events.model import EVENT_TYPES, Event, EventType, event_type_named, type_name

_REQUIRED_TEXT = ("order_id", "user_id", "reason")


class InvalidEvent(ValueError):
    """A decoded record that is not a valid event of its topic."""


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


# Each event type's fields and their names in the record, worked out once here
# rather than for every message (each order is encoded and decoded several times).
_NAMES: dict[EventType, tuple[tuple[str, str], ...]] = {
    cls: tuple((field.name, _camel(field.name)) for field in fields(cls)) for cls in EVENT_TYPES
}


def to_record(event: Event) -> dict[str, Any]:
    record: dict[str, Any] = {"eventType": type_name(type(event)), "reason": None}
    for name, camel in _NAMES[type(event)]:
        value = getattr(event, name)
        record[camel] = list(value) if isinstance(value, tuple) else value
    return record


def _value(cls: type[Event], name: str, raw: Any) -> Any:
    if isinstance(raw, list):
        return tuple(str(item) for item in raw)
    if isinstance(raw, uuid.UUID):
        return str(raw)
    if isinstance(raw, datetime):
        return raw if raw.tzinfo else raw.replace(tzinfo=UTC)
    if raw is None or (raw == "" and name in _REQUIRED_TEXT):
        raise InvalidEvent(f"{cls.__name__}.{_camel(name)} is empty")
    return raw


def from_record(topic: str, record: dict[str, Any]) -> Event:
    name = record.get("eventType")
    cls = event_type_named(str(name))
    if cls is None or cls.topic != topic:
        raise InvalidEvent(f"event type {name!r} does not belong on {topic}")
    try:
        values = {name: _value(cls, name, record[camel]) for name, camel in _NAMES[cls]}
    except KeyError as missing:
        raise InvalidEvent(f"{cls.__name__} lacks field {missing.args[0]}") from None
    try:
        uuid.UUID(values["event_id"])
    except ValueError:
        raise InvalidEvent(f"eventId {values['event_id']!r} is not a uuid") from None
    return cls(**values)
