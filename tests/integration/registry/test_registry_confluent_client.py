"""The official confluent-kafka client against our registry, as producers use it."""

from __future__ import annotations

import json
import struct
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from confluent_kafka.schema_registry import Schema, SchemaRegistryClient
from confluent_kafka.schema_registry.avro import AvroDeserializer, AvroSerializer
from confluent_kafka.schema_registry.error import SchemaRegistryError
from confluent_kafka.serialization import MessageField, SerializationContext

pytestmark = pytest.mark.stack

V1 = {
    "type": "record",
    "name": "Order",
    "namespace": "orderflow.test",
    "fields": [{"name": "orderId", "type": "string"}, {"name": "qty", "type": "int"}],
}
V2: dict[str, Any] = {
    **V1,
    "fields": [*V1["fields"], {"name": "note", "type": "string", "default": ""}],
}


def avro(schema: dict[str, Any]) -> Schema:
    return Schema(json.dumps(schema), "AVRO")


@pytest.fixture
def fresh(registry_url: str) -> Iterator[Callable[[], SchemaRegistryClient]]:
    """New clients with empty caches, so what they know comes from the registry."""
    made: list[SchemaRegistryClient] = []

    def make() -> SchemaRegistryClient:
        made.append(SchemaRegistryClient({"url": registry_url}))
        return made[-1]

    yield make
    for client in made:
        client.close()


@pytest.fixture
def client(fresh: Callable[[], SchemaRegistryClient]) -> SchemaRegistryClient:
    return fresh()


def topic_of(subject: str) -> str:
    return subject.removesuffix("-value")


def test_client_register_lookup_and_fetch(
    client: SchemaRegistryClient, fresh: Callable[[], SchemaRegistryClient], subject: str
) -> None:
    schema_id = client.register_schema(subject, avro(V1))
    assert client.register_schema(subject, avro(V1)) == schema_id
    fetched = fresh().get_schema(schema_id).schema_str
    assert fetched is not None
    assert json.loads(fetched) == V1
    found = client.lookup_schema(subject, avro(V1))
    assert (found.schema_id, found.version) == (schema_id, 1)
    latest = client.get_latest_version(subject)
    assert (latest.schema_id, latest.version, latest.subject) == (schema_id, 1, subject)
    assert client.get_version(subject, 1).schema_id == schema_id
    assert client.get_versions(subject) == [1]
    assert subject in client.get_subjects()
    assert client.get_subjects_by_schema_id(schema_id) == [subject]
    assert client.get_schema_versions(schema_id)[0].version == 1


def test_client_compatibility_and_config(client: SchemaRegistryClient, subject: str) -> None:
    client.register_schema(subject, avro(V1))
    breaking = {**V1, "fields": [{"name": "orderId", "type": "int"}]}
    assert client.test_compatibility(subject, avro(V2)) is True
    assert client.test_compatibility(subject, avro(breaking)) is False
    with pytest.raises(SchemaRegistryError) as refused:
        client.register_schema(subject, avro(breaking))
    assert (refused.value.http_status_code, refused.value.error_code) == (409, 409)
    client.set_compatibility(subject, "NONE")
    assert client.get_compatibility(subject) == "NONE"
    assert client.register_schema(subject, avro(breaking)) > 0


def test_client_deletes(client: SchemaRegistryClient, subject: str) -> None:
    client.register_schema(subject, avro(V1))
    client.register_schema(subject, avro(V2))
    assert client.delete_version(subject, 2) == 2
    assert client.get_versions(subject) == [1]
    assert client.delete_subject(subject) == [1]
    assert client.delete_subject(subject, permanent=True) == [1, 2]
    with pytest.raises(SchemaRegistryError) as gone:
        client.get_versions(subject)
    assert gone.value.error_code == 40401


def round_trip(
    serializer: AvroSerializer, deserializer: AvroDeserializer, subject: str, value: dict[str, Any]
) -> Any:
    ctx = SerializationContext(topic_of(subject), MessageField.VALUE)
    data = serializer(value, ctx)
    assert data is not None
    magic, schema_id = struct.unpack(">bI", data[:5])
    assert magic == 0
    return schema_id, deserializer(data, ctx)


def test_serializer_auto_registers_and_deserializer_reads_back(
    client: SchemaRegistryClient, fresh: Callable[[], SchemaRegistryClient], subject: str
) -> None:
    serializer = AvroSerializer(client, json.dumps(V1))
    # A client with an empty cache: the schema must come from the registry.
    deserializer = AvroDeserializer(fresh())
    value = {"orderId": "o-1", "qty": 3}
    schema_id, decoded = round_trip(serializer, deserializer, subject, value)
    assert decoded == value
    assert client.get_latest_version(subject).schema_id == schema_id


def test_serializer_without_auto_register_needs_the_schema_registered(
    client: SchemaRegistryClient, fresh: Callable[[], SchemaRegistryClient], subject: str
) -> None:
    conf = {"auto.register.schemas": False}
    serializer = AvroSerializer(client, json.dumps(V1), conf=conf)
    ctx = SerializationContext(topic_of(subject), MessageField.VALUE)
    with pytest.raises(SchemaRegistryError) as unknown:
        serializer({"orderId": "o-2", "qty": 1}, ctx)
    assert unknown.value.error_code == 40401
    registered = client.register_schema(subject, avro(V1))
    deserializer = AvroDeserializer(fresh())
    uncached = AvroSerializer(fresh(), json.dumps(V1), conf=conf)
    schema_id, decoded = round_trip(uncached, deserializer, subject, {"orderId": "o-2", "qty": 1})
    assert (schema_id, decoded) == (registered, {"orderId": "o-2", "qty": 1})


def test_serializer_with_use_latest_version_writes_the_latest_schema(
    client: SchemaRegistryClient, fresh: Callable[[], SchemaRegistryClient], subject: str
) -> None:
    client.register_schema(subject, avro(V1))
    latest_id = client.register_schema(subject, avro(V2))
    conf = {"auto.register.schemas": False, "use.latest.version": True}
    serializer = AvroSerializer(fresh(), None, conf=conf)
    deserializer = AvroDeserializer(fresh())
    value = {"orderId": "o-3", "qty": 2, "note": "gift"}
    schema_id, decoded = round_trip(serializer, deserializer, subject, value)
    assert (schema_id, decoded) == (latest_id, value)


def test_old_data_is_read_with_a_newer_reader_schema(
    client: SchemaRegistryClient, fresh: Callable[[], SchemaRegistryClient], subject: str
) -> None:
    writer = AvroSerializer(client, json.dumps(V1))
    reader = AvroDeserializer(fresh(), json.dumps(V2))
    _, decoded = round_trip(writer, reader, subject, {"orderId": "o-4", "qty": 5})
    assert decoded == {"orderId": "o-4", "qty": 5, "note": ""}
