"""The Confluent wire format's header, read for showing and for refusing what is not Avro."""

from __future__ import annotations

import pytest

from orderflow.tools.wire import WireHeader, read_header


def test_reads_magic_byte_and_big_endian_schema_id() -> None:
    assert read_header(b"\x00\x00\x00\x01\x02avro") == WireHeader(0, 258, 4)


@pytest.mark.parametrize(
    "payload", [None, b"", b"\x00\x00\x00\x01", b"\x01\x00\x00\x00\x01body", b"plain text"]
)
def test_not_the_wire_format(payload: bytes | None) -> None:
    assert read_header(payload) is None
