"""Decoding while the registry is down is a wait, not a verdict on the payload."""

from __future__ import annotations

import pytest
from confluent_kafka.schema_registry import SchemaRegistryClient

from orderflow.events.codec import EventCodec, RegistryUnavailable
from orderflow.stack.ports import free_ports


def test_an_unreachable_registry_is_unavailable_not_undecodable() -> None:
    # Nothing listens on this port: the state of a registry just SIGKILLed.
    [port] = free_ports(1)
    client = SchemaRegistryClient({"url": f"http://127.0.0.1:{port}", "max.retries": 0})
    codec = EventCodec(client)
    framed = b"\x00\x00\x00\x00\x07" + b"\x00"  # schema id 7, not cached

    with pytest.raises(RegistryUnavailable):
        codec.decode("ShippingEventsTopic", framed)
