"""Avro through the Schema Registry for the tools, its failures turned into ToolErrors.

The serializers of confluent-kafka reach the registry lazily, on the first
value; so every call that may reach it runs inside ``registry_errors``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

# confluent-kafka's registry client speaks httpx2 (not httpx), so its failures to
# reach the registry are httpx2's errors.
import httpx2
from confluent_kafka.schema_registry import SchemaRegistryClient, SchemaRegistryError
from confluent_kafka.schema_registry.avro import AvroDeserializer, AvroSerializer
from confluent_kafka.serialization import MessageField, SerializationContext

from orderflow.access import RegistryAccess
from orderflow.events.wire import subject_name_strategy
from orderflow.tools.errors import ToolError

Serialize = Callable[[object], bytes]
Deserialize = Callable[[bytes], object]


SCHEMA_NOT_FOUND = 40403
"""The registry's error code for a schema id it does not have (Confluent's, and ours)."""


class UnknownSchema(ToolError):
    """A message names a schema id the registry does not have: that message is
    undecodable, the registry is fine."""


class Registry:
    """A Schema Registry client whose errors say which registry and what went wrong."""

    def __init__(self, access: RegistryAccess, timeout_s: float) -> None:
        self.url = access.url
        self.client = SchemaRegistryClient(access.client_config({"timeout": timeout_s}))

    @contextmanager
    def errors(self) -> Iterator[None]:
        try:
            yield
        except SchemaRegistryError as error:
            message = f"schema registry at {self.url}: {error.error_message}"
            if error.error_code == SCHEMA_NOT_FOUND:
                raise UnknownSchema(message) from None
            raise ToolError(message) from None
        except httpx2.HTTPError as error:
            raise ToolError(
                f"no schema registry answered at {self.url} ({error}); "
                "is the stack up? (orderflow stack up)"
            ) from None

    def serializer_from_file(self, topic: str, schema_file: Path) -> Serialize:
        """Registers the file's schema under ``<topic>-value`` on first use (as producers do)."""
        try:
            schema_text = schema_file.read_text()
        except OSError as error:
            raise ToolError(f"cannot read the schema {schema_file}: {error.strerror}") from None
        conf = {"subject.name.strategy": subject_name_strategy}
        try:
            avro = AvroSerializer(self.client, schema_text, conf=conf)
        except Exception as error:
            # fastavro and json each raise their own types for a bad schema.
            raise ToolError(f"{schema_file} is not an Avro schema: {error}") from None
        return self._framing(avro, topic)

    def serializer_from_subject(self, topic: str, subject: str) -> Serialize:
        """Encodes with the subject's latest schema; registers nothing."""
        with self.errors():
            schema_text = self.client.get_latest_version(subject).schema.schema_str
        conf = {"auto.register.schemas": False, "subject.name.strategy": lambda _c, _r: subject}
        return self._framing(AvroSerializer(self.client, schema_text, conf=conf), topic)

    def _framing(self, avro: AvroSerializer, topic: str) -> Serialize:
        ctx = SerializationContext(topic, MessageField.VALUE)

        def serialize(value: object) -> bytes:
            with self.errors():
                payload = avro(value, ctx)
            assert payload is not None, "only None serializes to None"
            return payload

        return serialize

    def deserializer(self, topic: str, reader_schema: str | None = None) -> Deserialize:
        """Wire format to values, with the writer's schema fetched by the id in the header;
        given a ``reader_schema``, resolved to it as Avro resolves a writer's schema to a
        reader's (a field the writer lacks gets its default, one the reader lacks is skipped)."""
        avro = AvroDeserializer(self.client, schema_str=reader_schema)
        ctx = SerializationContext(topic, MessageField.VALUE)

        def deserialize(payload: bytes) -> object:
            with self.errors():
                return avro(payload, ctx)

        return deserialize
