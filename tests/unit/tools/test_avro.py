"""The tools' registry client: a registry that does not answer is one ToolError line."""

from __future__ import annotations

import pytest
from confluent_kafka.schema_registry import SchemaRegistryClient

from orderflow.access import RegistryAccess
from orderflow.stack.ports import free_ports
from orderflow.tools.avro import Registry
from orderflow.tools.errors import ToolError


def test_an_unreachable_registry_is_a_tool_error() -> None:
    # Nothing listens on this port.
    [port] = free_ports(1)
    url = f"http://127.0.0.1:{port}"
    registry = Registry(RegistryAccess(url), timeout_s=1.0)
    registry.client = SchemaRegistryClient({"url": url, "max.retries": 0})  # fail at once
    deserialize = registry.deserializer("greetings")

    with pytest.raises(ToolError, match=f"no schema registry answered at {url}"):
        deserialize(b"\x00\x00\x00\x00\x07\x00")  # schema id 7, not cached
