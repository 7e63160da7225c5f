from __future__ import annotations

import json
import socket
from typing import cast

import pytest
from confluent_kafka.schema_registry import Schema, SchemaRegistryClient
from confluent_kafka.schema_registry.error import SchemaRegistryError

from orderflow.access import RegistryAccess
from orderflow.events.registration import (
    SchemaRegistrationError,
    register_schemas,
    registry_client,
)
from orderflow.events.topics import schema_text


def test_registers_every_subject() -> None:
    client = SchemaRegistryClient.new_client({"url": "mock://registration"})

    ids = register_schemas(client, "mock://registration")

    assert sorted(ids) == sorted(
        f"{t}-value"
        for t in (
            "OrderEventsTopic",
            "InventoryEventsTopic",
            "ShippingEventsTopic",
            "PaymentEventsTopic",
        )
    )
    assert register_schemas(client, "mock://registration") == ids  # idempotent


def test_unreachable_registry_fails_fast_naming_the_url() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # bound, not listening: connection refused
        url = f"http://127.0.0.1:{port}"
        with pytest.raises(SchemaRegistrationError, match="unreachable"):
            register_schemas(registry_client(RegistryAccess(url)), url)


def test_schema_text_is_valid_json_for_every_topic() -> None:
    text = schema_text("OrderEventsTopic")
    assert json.loads(text)["name"] == "OrderEvent"
    assert Schema(text, "AVRO").schema_type == "AVRO"


class RefusingRegistry:
    """Answers every registration as a registry does for an incompatible schema."""

    def register_schema(self, subject_name: str, schema: Schema) -> int:
        raise SchemaRegistryError(409, 409, "Schema being registered is incompatible")


def test_incompatible_schema_fails_fast_naming_file_and_subject() -> None:
    client = cast(SchemaRegistryClient, RefusingRegistry())

    with pytest.raises(SchemaRegistrationError) as refused:
        register_schemas(client, "http://registry:8081")

    message = str(refused.value)
    assert "OrderEventsTopic.avsc is incompatible" in message
    assert "OrderEventsTopic-value" in message
