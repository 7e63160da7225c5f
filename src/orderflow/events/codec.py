"""Avro in one place: every event to and from the bytes of its topic.

A payload is what goes on the wire and into an outbox row: Confluent-framed
Avro (``wire.py`` names the frame and the subjects). confluent-kafka's
serializer writes it, looking the schema's id up once, so encoding makes no
registry round trip after the first event of each topic.

Decoding reads the frame itself and hands the body to fastavro (the library
confluent-kafka's deserializer uses) with the writer's schema, fetched by id
once and parsed once, and the topic's ``.avsc`` as the reader's. The
deserializer would also, for every message, resolve the subject, expand the
reader schema and run data-contract rules, none of which we use: 25 of the
36 µs a decode cost (docs/performance.md), and every order is decoded about
seven times.
"""

from __future__ import annotations

import io
import json
from typing import Any

# The registry client's HTTP library: httpx2 (confluent-kafka's dependency on
# Python >= 3.10), not httpx. Its transport errors are what an unreachable
# registry raises.
import httpx2
from confluent_kafka.schema_registry import Schema, SchemaRegistryClient, SchemaRegistryError
from confluent_kafka.schema_registry.avro import AvroSerializer
from confluent_kafka.serialization import MessageField, SerializationContext
from fastavro import parse_schema, schemaless_reader

from orderflow.events.model import Event
from orderflow.events.records import from_record, to_record
from orderflow.events.topics import ALL_TOPICS, schema_text
from orderflow.events.wire import HEADER_BYTES, MAGIC_BYTE, read_header, subject_name_strategy


def schema_for(topic: str) -> Schema:
    """The topic's ``.avsc`` as registered; the serializers look up exactly this text."""
    return Schema(schema_text(topic), "AVRO")


class UndecodableEvent(Exception):
    """A payload that is not a valid event of its topic; the message says why."""


class RegistryUnavailable(Exception):
    """The registry did not answer for the payload's schema (down, restarting, failing).

    The payload may well be valid: decode it again later rather than dead-letter it.
    """


def _parsed(schema_str: str | None) -> Any:
    if schema_str is None:
        raise UndecodableEvent("the registry returned a schema without text")
    return parse_schema(json.loads(schema_str))


class EventCodec:
    def __init__(self, client: SchemaRegistryClient) -> None:
        self._client = client
        # Schemas are registered by the start-up step (registration.py), never here.
        conf = {"auto.register.schemas": False, "subject.name.strategy": subject_name_strategy}
        self._serializers = {
            topic: AvroSerializer(client, schema_for(topic), conf=conf) for topic in ALL_TOPICS
        }
        # The .avsc is the reader schema, so older payloads resolve to today's shape.
        self._reader_schemas = {topic: _parsed(schema_text(topic)) for topic in ALL_TOPICS}
        # A registered schema never changes under its id, so one lookup per id is enough.
        self._writer_schemas: dict[int, Any] = {}

    def encode(self, event: Event) -> bytes:
        ctx = SerializationContext(event.topic, MessageField.VALUE)
        payload: bytes = self._serializers[event.topic](to_record(event), ctx)
        return payload

    def decode(self, topic: str, payload: bytes | None) -> Event:
        reader_schema = self._reader_schemas.get(topic)
        if reader_schema is None:
            raise UndecodableEvent(f"no schema for topic {topic!r}")
        if not payload:
            raise UndecodableEvent("empty payload")
        # We only ever write magic byte 0 and a 4-byte id; anything else was never
        # framed by us, and asking the registry about it would only yield a 404.
        header = read_header(payload)
        if header is None:
            raise UndecodableEvent(
                f"not in the Confluent wire format: magic byte {payload[0]:#04x} "
                f"(expected {MAGIC_BYTE:#04x}) in {len(payload)} bytes"
            )
        try:
            writer_schema = self._writer_schema(header.schema_id)
            body = io.BytesIO(payload[HEADER_BYTES:])
            record = schemaless_reader(body, writer_schema, reader_schema)
            if not isinstance(record, dict):
                raise UndecodableEvent(f"schema {header.schema_id} does not describe a record")
            return from_record(topic, record)
        except httpx2.TransportError as error:
            raise RegistryUnavailable(f"{type(error).__name__}: {error}") from error
        except SchemaRegistryError as error:
            if error.http_status_code >= 500:
                raise RegistryUnavailable(str(error)) from error
            raise UndecodableEvent(f"{type(error).__name__}: {str(error)[:300]}") from error
        except UndecodableEvent:
            raise
        except Exception as error:
            # Whatever the cause (bad framing, unknown schema id, invalid field),
            # the message cannot be handled; the caller dead-letters it.
            raise UndecodableEvent(f"{type(error).__name__}: {str(error)[:300]}") from error

    def _writer_schema(self, schema_id: int) -> Any:
        parsed = self._writer_schemas.get(schema_id)
        if parsed is None:
            parsed = _parsed(self._client.get_schema(schema_id).schema_str)
            self._writer_schemas[schema_id] = parsed
        return parsed
