"""The event catalogue and the .avsc files agree, field by field."""

from __future__ import annotations

import json
import typing
from dataclasses import fields
from datetime import datetime
from typing import Any

import pytest

from orderflow.events.model import EVENT_TYPES, EventType, type_name
from orderflow.events.topics import ALL_TOPICS, schema_text


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


def _schema_fields(topic: str) -> dict[str, Any]:
    return {f["name"]: f for f in json.loads(schema_text(topic))["fields"]}


def _avro_kind(avro: Any) -> str:
    """string, long, array or timestamp: what a field carries, nullability aside."""
    if isinstance(avro, list):
        [avro] = [member for member in avro if member != "null"]
    if isinstance(avro, dict):
        if avro.get("logicalType") == "timestamp-millis":
            return "timestamp"
        return str(avro["type"])
    return str(avro)


def _python_kind(annotation: Any) -> str:
    if annotation is datetime:
        return "timestamp"
    if typing.get_origin(annotation) is tuple:
        return "array"
    supertype = getattr(annotation, "__supertype__", annotation)  # NewType ids are strings
    return {str: "string", int: "long"}[supertype]


def _on(topic: str) -> list[EventType]:
    return [t for t in EVENT_TYPES if t.topic == topic]


def test_every_topic_carries_some_event_type_and_every_type_a_topic() -> None:
    assert {t.topic for t in EVENT_TYPES} == set(ALL_TOPICS)


@pytest.mark.parametrize("topic", ALL_TOPICS)
def test_the_event_type_enum_lists_the_topics_event_types(topic: str) -> None:
    enum = _schema_fields(topic)["eventType"]["type"]

    assert enum["symbols"] == [type_name(t) for t in _on(topic)]


@pytest.mark.parametrize("event_type", EVENT_TYPES, ids=type_name)
def test_every_field_of_an_event_type_is_in_its_schema_with_its_kind(
    event_type: EventType,
) -> None:
    schema = _schema_fields(event_type.topic)
    hints = typing.get_type_hints(event_type)

    for field in fields(event_type):
        avro = schema.get(_camel(field.name))
        assert avro is not None, f"{type_name(event_type)}.{field.name} not in the schema"
        assert _avro_kind(avro["type"]) == _python_kind(hints[field.name]), field.name


@pytest.mark.parametrize("topic", ALL_TOPICS)
def test_a_schema_field_some_event_type_lacks_is_optional(topic: str) -> None:
    for name, avro in _schema_fields(topic).items():
        if name == "eventType":
            continue
        lacking = [
            type_name(t) for t in _on(topic) if name not in {_camel(f.name) for f in fields(t)}
        ]
        if lacking:
            assert "default" in avro, f"{name} is required, but {lacking} have no such field"
