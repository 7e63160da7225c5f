"""The Confluent wire format's header: magic byte 0, then a 4-byte big-endian schema id.

Only to tell a learner what a framed message looks like, and to refuse a
message that is not framed before asking the registry about it; the
serializers of confluent-kafka do the actual framing.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

MAGIC_BYTE = 0
_HEADER = struct.Struct(">bI")


@dataclass(frozen=True)
class WireHeader:
    magic_byte: int
    schema_id: int
    body_length: int


def read_header(payload: bytes | None) -> WireHeader | None:
    """The header of a framed payload, or None when it is not in the wire format."""
    if payload is None or len(payload) < _HEADER.size or payload[0] != MAGIC_BYTE:
        return None
    magic_byte, schema_id = _HEADER.unpack_from(payload)
    return WireHeader(magic_byte, schema_id, len(payload) - _HEADER.size)
