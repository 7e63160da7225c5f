"""The system's AsyncAPI 3.0 document, generated from what the code declares.

Nothing in it is listed by hand. The channels are the topics (``ALL_TOPICS``)
and the dead-letter topic; a topic's messages are the event types that name
it (``EVENT_TYPES``), each with the topic's ``.avsc`` as its payload. The
operations are the declared services': a receive for each topic a service
consumes, in its consumer group, with the event types it handles; a send for
each topic its ``emits`` land on, through its outbox and Debezium; and, for a
service that consumes, a send to the dead-letter topic.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from importlib.metadata import version
from typing import Any

from orderflow.events.model import EVENT_TYPES, EventType, type_name
from orderflow.events.topics import ALL_TOPICS, schema_text
from orderflow.events.wire import subject_for
from orderflow.messaging.service import AnyService, Declared, Service

Json = dict[str, Any]

AVRO = "application/vnd.apache.avro+json;version=1.9.0"
KAFKA_BINDING = "0.5.0"
DEAD_LETTER = "DeadLetter"
"""The dead-letter topic's one message."""

_KEY: Json = {
    "type": "string",
    "format": "uuid",
    "description": "The orderId: an order's events share a partition, in the order they happened.",
}
# Debezium's outbox event router puts these on every record (connectors/outbox-connector.json).
_OUTBOX_HEADERS: Json = {
    "id": {"type": "string", "format": "uuid", "description": "The event's eventId."},
    "eventType": {"type": "string", "description": "The event type, as in the payload."},
    "traceparent": {"type": "string", "description": "The order's W3C trace context, if any."},
}
# What DeadLetters.send adds in front of the refused record's own headers.
_DEAD_LETTER_HEADERS: Json = {
    "dlq.reason": {"type": "string", "description": "Why it was refused, cut at 1000 characters."},
    "dlq.source.topic": {"type": "string"},
    "dlq.source.partition": {"type": "string", "description": "A number, as text."},
    "dlq.source.offset": {"type": "string", "description": "A number, as text."},
    "dlq.consumer.group": {"type": "string", "description": "The group that refused it."},
}


def asyncapi_document(services: Sequence[Declared], dead_letter_topic: str) -> Json:
    """The document for ``services`` (``orderflow.services.SERVICES``), as JSON data."""
    schemas = {topic: json.loads(schema_text(topic)) for topic in ALL_TOPICS}
    channels = {topic: _channel(topic, schemas[topic]["doc"]) for topic in ALL_TOPICS}
    channels[dead_letter_topic] = _dead_letter_channel(dead_letter_topic)
    operations: Json = {}
    for service in services:
        operations |= _operations(service, dead_letter_topic)
    return {
        "asyncapi": "3.0.0",
        "info": {
            "title": "orderflow",
            "version": version("orderflow"),
            "description": (
                "Event-driven order processing on Kafka. A service writes the events it emits"
                " to its outbox in the transaction that changes its state; Debezium publishes"
                " them. Generated from the services' declarations and the .avsc files."
            ),
        },
        "defaultContentType": "application/octet-stream",
        "channels": channels,
        "operations": operations,
        "components": {
            "schemas": {s["name"]: {"schemaFormat": AVRO, "schema": s} for s in schemas.values()},
            "messages": {
                **{type_name(t): _message(t, schemas[t.topic]["name"]) for t in EVENT_TYPES},
                DEAD_LETTER: _dead_letter_message(),
            },
        },
    }


def _channel(topic: str, doc: str) -> Json:
    return {
        "address": topic,
        "description": doc,
        "messages": {
            type_name(t): _ref("components", "messages", type_name(t)) for t in _on(topic)
        },
        "bindings": {"kafka": {"topic": topic, "bindingVersion": KAFKA_BINDING}},
    }


def _message(event_type: EventType, schema_name: str) -> Json:
    name = type_name(event_type)
    return {
        "name": name,
        "title": name,
        "summary": f"The {event_type.topic} record whose eventType (field and header) is {name}.",
        "description": (
            "Avro in the Confluent wire format (byte 0, the schema id in 4 bytes, the body),"
            f" the schema registered under {subject_for(event_type.topic)}."
        ),
        "contentType": "application/octet-stream",
        "headers": {
            "type": "object",
            "properties": _OUTBOX_HEADERS
            | {"eventType": _OUTBOX_HEADERS["eventType"] | {"const": name}},
            "required": ["id", "eventType"],
        },
        "payload": _ref("components", "schemas", schema_name),
        "bindings": {
            "kafka": {
                "key": _KEY,
                "schemaIdLocation": "payload",
                "schemaIdPayloadEncoding": "confluent",
                "schemaLookupStrategy": "TopicNameStrategy",
                "bindingVersion": KAFKA_BINDING,
            }
        },
    }


def _dead_letter_channel(topic: str) -> Json:
    return {
        "address": topic,
        "description": "Records a consumer could not decode or handle, as they came, with why.",
        "messages": {DEAD_LETTER: _ref("components", "messages", DEAD_LETTER)},
        "bindings": {"kafka": {"topic": topic, "bindingVersion": KAFKA_BINDING}},
    }


def _dead_letter_message() -> Json:
    return {
        "name": DEAD_LETTER,
        "title": "A refused record",
        "summary": "Key, value and headers as they came, after the dlq.* headers.",
        "contentType": "application/octet-stream",
        "headers": {
            "type": "object",
            "properties": _DEAD_LETTER_HEADERS,
            "required": sorted(_DEAD_LETTER_HEADERS),
        },
        "payload": {"description": "The refused record's value, byte for byte."},
        "bindings": {"kafka": {"bindingVersion": KAFKA_BINDING}},
    }


def _operations(service: Declared, dead_letter_topic: str) -> Json:
    tags = [{"name": service.title}]
    found: Json = {}
    consumer = service if isinstance(service, Service) else None
    if consumer is not None:
        found |= _receiving(consumer, tags)
    for topic in ALL_TOPICS:
        sent = [t for t in _on(topic) if t in service.emits]
        if sent:
            found[f"{service.name}.send.{topic}"] = {
                "action": "send",
                "channel": _ref("channels", topic),
                "title": f"{service.title} publishes on {topic}",
                "description": (
                    f"Written to {service.schema}.outbox in the transaction that changes the"
                    " state it describes; Debezium's outbox event router publishes each row,"
                    " key = orderId."
                ),
                "messages": [_ref("channels", topic, "messages", type_name(t)) for t in sent],
                "tags": tags,
            }
    if consumer is not None:
        found[f"{service.name}.send.{dead_letter_topic}"] = {
            "action": "send",
            "channel": _ref("channels", dead_letter_topic),
            "title": f"{service.title} dead-letters what it cannot consume",
            "description": (
                "Its consumer sends a record it cannot decode or handle straight to the"
                " broker, and commits past it only once the broker has it."
            ),
            "messages": [_ref("channels", dead_letter_topic, "messages", DEAD_LETTER)],
            "tags": tags,
        }
    return found


def _on(topic: str) -> list[EventType]:
    return [t for t in EVENT_TYPES if t.topic == topic]


def _ref(*path: str) -> Json:
    return {"$ref": "#/" + "/".join(path)}


def _receiving(service: AnyService, tags: list[Json]) -> Json:
    found: Json = {}
    for topic in service.topics:
        handled = [t for t in _on(topic) if type_name(t) in service.consumes]
        found[f"{service.name}.receive.{topic}"] = {
            "action": "receive",
            "channel": _ref("channels", topic),
            "title": f"{service.title} consumes {topic}",
            "description": (
                f"In consumer group {service.group}: it handles"
                f" {', '.join(type_name(t) for t in handled) or 'none'} and skips the rest."
            ),
            "messages": [_ref("channels", topic, "messages", type_name(t)) for t in handled],
            "bindings": {
                "kafka": {
                    "groupId": {"type": "string", "enum": [service.group]},
                    "bindingVersion": KAFKA_BINDING,
                }
            },
            "tags": tags,
        }
    return found
