"""The start-up step that registers every topic's schema, and fails fast.

Each process calls ``register_schemas`` once before it produces or consumes,
so a missing registry or an incompatible schema stops it with a message that
says which, instead of surfacing on the first order.
"""

from __future__ import annotations

from confluent_kafka.schema_registry import SchemaRegistryClient
from confluent_kafka.schema_registry.error import SchemaRegistryError

from orderflow.access import RegistryAccess
from orderflow.events.codec import schema_for
from orderflow.events.topics import ALL_TOPICS
from orderflow.events.wire import subject_for

_INCOMPATIBLE = 409


class SchemaRegistrationError(Exception):
    """The registry is unreachable or refuses one of our schemas."""


def registry_client(access: RegistryAccess) -> SchemaRegistryClient:
    return SchemaRegistryClient(access.client_config())


def register_schemas(client: SchemaRegistryClient, url: str) -> dict[str, int]:
    """Register each topic's ``.avsc`` under ``<topic>-value``; returns subject → schema id."""
    ids: dict[str, int] = {}
    for topic in ALL_TOPICS:
        subject = subject_for(topic)
        try:
            ids[subject] = client.register_schema(subject, schema_for(topic))
        except SchemaRegistryError as error:
            if error.http_status_code == _INCOMPATIBLE:
                raise SchemaRegistrationError(
                    f"{topic}.avsc is incompatible with the latest version of {subject} "
                    f"in the registry at {url}: {error.error_message}"
                ) from None
            raise SchemaRegistrationError(
                f"the registry at {url} refused {subject}: "
                f"HTTP {error.http_status_code} {error.error_message}"
            ) from None
        except Exception as error:
            raise SchemaRegistrationError(
                f"schema registry at {url} is unreachable ({type(error).__name__}: {error}); "
                "is it running? (ORDERFLOW_REGISTRY_PORT)"
            ) from None
    return ids
