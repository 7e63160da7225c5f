from __future__ import annotations

import pytest

from orderflow.registry.records import (
    ConfigRecord,
    CorruptRecord,
    DeleteSubjectRecord,
    ModeRecord,
    NoopRecord,
    Record,
    SchemaRecord,
    SchemaTombstone,
    decode,
    encode,
)
from orderflow.registry.schemas import Reference


def test_schema_key_is_byte_for_byte_confluents() -> None:
    key, value = encode(SchemaRecord("orders-value", 3, 7, '"string"'))
    assert key == b'{"keytype":"SCHEMA","subject":"orders-value","version":3,"magic":1}'
    assert value == (
        b'{"subject":"orders-value","version":3,"id":7,"schema":"\\"string\\"","deleted":false}'
    )


@pytest.mark.parametrize(
    ("record", "key", "value"),
    [
        (
            ConfigRecord(None, "FULL"),
            b'{"keytype":"CONFIG","subject":null,"magic":0}',
            b'{"compatibilityLevel":"FULL"}',
        ),
        (ConfigRecord("s", None), b'{"keytype":"CONFIG","subject":"s","magic":0}', None),
        (
            ModeRecord(None, "READONLY"),
            b'{"keytype":"MODE","subject":null,"magic":0}',
            b'{"mode":"READONLY"}',
        ),
        (
            DeleteSubjectRecord("s", 2),
            b'{"keytype":"DELETE_SUBJECT","subject":"s","magic":0}',
            b'{"subject":"s","version":2}',
        ),
        (NoopRecord(), b'{"keytype":"NOOP","magic":0}', None),
        (
            SchemaTombstone("s", 1),
            b'{"keytype":"SCHEMA","subject":"s","version":1,"magic":1}',
            None,
        ),
    ],
)
def test_other_keys_and_values(record: Record, key: bytes, value: bytes | None) -> None:
    assert encode(record) == (key, value)


@pytest.mark.parametrize(
    "record",
    [
        SchemaRecord("s", 1, 1, '"int"'),
        SchemaRecord("s", 2, 5, '"int"', "AVRO", (Reference("a.B", "b", 1),), deleted=True),
        SchemaTombstone("s", 4),
        ConfigRecord("s", "NONE"),
        ConfigRecord(None, None),
        ModeRecord("s", "IMPORT"),
        DeleteSubjectRecord("s", 9),
    ],
)
def test_round_trip(record: Record) -> None:
    assert decode(*encode(record)) == record


def test_records_written_by_confluent_decode_with_defaults() -> None:
    # Older Karapace writes the same keys with the fields in another order.
    key = b'{"subject":"s","version":1,"magic":0,"keytype":"SCHEMA"}'
    assert decode(key, b'{"subject":"s","version":1,"id":3,"schema":"\\"int\\""}') == (
        SchemaRecord("s", 1, 3, '"int"')
    )


def test_unknown_key_types_are_skipped() -> None:
    assert decode(b'{"keytype":"CONTEXT","magic":0}', b"{}") is None


@pytest.mark.parametrize(
    ("key", "value"),
    [(b"not json", b"{}"), (b"[]", None), (b'{"keytype":"SCHEMA","subject":"s"}', b"{}")],
)
def test_corrupt_records_raise_corrupt_record(key: bytes, value: bytes | None) -> None:
    with pytest.raises(CorruptRecord):
        decode(key, value)
