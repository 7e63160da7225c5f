"""The Confluent wire format and subject naming, for the services and the tools alike.

A framed value is magic byte 0, the schema id as a 4-byte big-endian integer,
then the Avro body. confluent-kafka's serializers write and read the frame;
this module names its parts, so that a payload that is not framed is refused
before the registry is asked about it, and a learner can be shown one.

Subjects follow TopicNameStrategy: a topic's value schema is ``<topic>-value``.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from confluent_kafka.serialization import SerializationContext

MAGIC_BYTE = 0
_HEADER = struct.Struct(">BI")
HEADER_BYTES = _HEADER.size


@dataclass(frozen=True)
class WireHeader:
    magic_byte: int
    schema_id: int
    body_length: int


def read_header(payload: bytes | None) -> WireHeader | None:
    """The header of a framed payload, or None when it is not in the wire format."""
    if payload is None or len(payload) < HEADER_BYTES or payload[0] != MAGIC_BYTE:
        return None
    magic_byte, schema_id = _HEADER.unpack_from(payload)
    return WireHeader(magic_byte, schema_id, len(payload) - HEADER_BYTES)


def subject_for(topic: str) -> str:
    """TopicNameStrategy: the value schema of ``topic`` lives under ``<topic>-value``."""
    return f"{topic}-value"


def subject_name_strategy(ctx: SerializationContext, _record_name: str | None) -> str:
    """``subject_for`` in the shape of confluent-kafka's ``subject.name.strategy``."""
    return subject_for(ctx.topic)
