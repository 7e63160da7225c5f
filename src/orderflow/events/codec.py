"""Avro in one place: every event to and from the bytes of its topic.

A payload is what goes on the wire and into an outbox row: Confluent-framed
Avro (``wire.py`` names the frame and the subjects; confluent-kafka's
serializers write and read it). The serializers look a
schema's id up once and cache it, so encoding makes no registry round trip
after the first event of each topic.
"""

from __future__ import annotations

# The registry client's HTTP library: httpx2 (confluent-kafka's dependency on
# Python >= 3.10), not httpx. Its transport errors are what an unreachable
# registry raises.
import httpx2
from confluent_kafka.schema_registry import Schema, SchemaRegistryClient, SchemaRegistryError
from confluent_kafka.schema_registry.avro import AvroDeserializer, AvroSerializer
from confluent_kafka.serialization import MessageField, SerializationContext

from orderflow.events.model import Event
from orderflow.events.records import from_record, to_record
from orderflow.events.topics import ALL_TOPICS, schema_text
from orderflow.events.wire import MAGIC_BYTE, read_header, subject_name_strategy


def schema_for(topic: str) -> Schema:
    """The topic's ``.avsc`` as registered; the serializers look up exactly this text."""
    return Schema(schema_text(topic), "AVRO")


class UndecodableEvent(Exception):
    """A payload that is not a valid event of its topic; the message says why."""


class RegistryUnavailable(Exception):
    """The registry did not answer for the payload's schema (down, restarting, failing).

    The payload may well be valid: decode it again later rather than dead-letter it.
    """


class EventCodec:
    def __init__(self, client: SchemaRegistryClient) -> None:
        # Schemas are registered by the start-up step (registration.py), never here.
        conf = {"auto.register.schemas": False, "subject.name.strategy": subject_name_strategy}
        self._serializers = {
            topic: AvroSerializer(client, schema_for(topic), conf=conf) for topic in ALL_TOPICS
        }
        # The .avsc is the reader schema, so older payloads resolve to today's shape.
        self._deserializers = {
            topic: AvroDeserializer(client, schema_for(topic)) for topic in ALL_TOPICS
        }

    def encode(self, event: Event) -> bytes:
        ctx = SerializationContext(event.topic, MessageField.VALUE)
        payload: bytes = self._serializers[event.topic](to_record(event), ctx)
        return payload

    def decode(self, topic: str, payload: bytes | None) -> Event:
        if topic not in self._deserializers:
            raise UndecodableEvent(f"no schema for topic {topic!r}")
        if not payload:
            raise UndecodableEvent("empty payload")
        # We only ever write magic byte 0 and a 4-byte id. Checked here because the
        # deserializer reads any other first byte as another framing and fails with
        # a registry 404 that does not say the record was never framed at all.
        if read_header(payload) is None:
            raise UndecodableEvent(
                f"not in the Confluent wire format: magic byte {payload[0]:#04x} "
                f"(expected {MAGIC_BYTE:#04x}) in {len(payload)} bytes"
            )
        try:
            record = self._deserializers[topic](
                payload, SerializationContext(topic, MessageField.VALUE)
            )
            return from_record(topic, record)
        except httpx2.TransportError as error:
            raise RegistryUnavailable(f"{type(error).__name__}: {error}") from error
        except SchemaRegistryError as error:
            if error.http_status_code >= 500:
                raise RegistryUnavailable(str(error)) from error
            raise UndecodableEvent(f"{type(error).__name__}: {str(error)[:300]}") from error
        except Exception as error:
            # Whatever the cause (bad framing, unknown schema id, invalid field),
            # the message cannot be handled; the caller dead-letters it.
            raise UndecodableEvent(f"{type(error).__name__}: {str(error)[:300]}") from error
