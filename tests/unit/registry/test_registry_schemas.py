from __future__ import annotations

import json
from typing import Any

import avro.schema
import pytest

from orderflow.registry.errors import ErrorCode, RegistryError
from orderflow.registry.schemas import Reference, SchemaSource, check_type, parse


def record(name: str, *fields: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {"type": "record", "name": name, "fields": list(fields), **extra}


def field(name: str, type_: Any, **extra: Any) -> dict[str, Any]:
    return {"name": name, "type": type_, **extra}


def text(schema: Any) -> str:
    return json.dumps(schema)


def no_refs(reference: Reference) -> SchemaSource:
    raise AssertionError(f"unexpected reference {reference}")


def identity(schema_text: str) -> str:
    return parse(SchemaSource(schema_text), no_refs).identity


ORDER = record(
    "Order", field("orderId", "string"), field("items", {"type": "array", "items": "string"})
)


def test_whitespace_and_key_order_do_not_change_identity() -> None:
    compact = json.dumps(ORDER, separators=(",", ":"))
    spaced = json.dumps(ORDER, indent=4)
    reordered = json.dumps(
        {
            "fields": [
                {"type": "string", "name": "orderId"},
                {"type": {"items": "string", "type": "array"}, "name": "items"},
            ],
            "name": "Order",
            "type": "record",
        }
    )
    assert identity(compact) == identity(spaced) == identity(reordered)


def test_primitive_written_as_object_is_the_same_schema() -> None:
    plain = record("A", field("a", "int"))
    wrapped = record("A", field("a", {"type": "int"}))
    assert identity(text(plain)) == identity(text(wrapped))


@pytest.mark.parametrize(
    "other",
    [
        record(
            "Order",
            field("items", {"type": "array", "items": "string"}),
            field("orderId", "string"),
        ),
        record(
            "Order",
            field("orderId", "string"),
            field("items", {"type": "array", "items": "string"}, default=[]),
        ),
        record(
            "Order2",
            field("orderId", "string"),
            field("items", {"type": "array", "items": "string"}),
        ),
    ],
    ids=["field order", "a default", "name"],
)
def test_what_changes_meaning_changes_identity(other: dict[str, object]) -> None:
    assert identity(text(ORDER)) != identity(text(other))


def test_stored_text_is_compact_but_keeps_the_submitted_key_order() -> None:
    parsed = parse(SchemaSource(json.dumps(ORDER, indent=2)), no_refs)
    assert parsed.text == json.dumps(ORDER, separators=(",", ":"))


@pytest.mark.parametrize(
    "bad",
    [
        "{not json",
        '{"type": "record", "name": "A"}',
        '{"type": "nope"}',
        '{"type": 5}',
        text(record("A", field("a", "Undefined"))),
        text(record("A", field("a", "int", default="x"))),
        text(record("A", field("a", ["null", "int"], default=1))),
        text({"type": "enum", "name": "E", "symbols": ["A", "A"]}),
        "[" * 5000 + "]" * 5000,
    ],
    ids=[
        "json",
        "no fields",
        "type",
        "type number",
        "undefined",
        "default",
        "union default",
        "enum",
        "deep",
    ],
)
def test_invalid_schemas_are_42201(bad: str) -> None:
    with pytest.raises(RegistryError) as raised:
        parse(SchemaSource(bad), no_refs)
    assert raised.value.code is ErrorCode.INVALID_SCHEMA


def test_valid_defaults_and_unknown_logical_types_are_accepted() -> None:
    schema = record(
        "A",
        field("a", ["null", "int"], default=None),
        field("b", "bytes", default="\u00ff"),
        field("c", "double", default=1),
        field("d", {"type": "int", "logicalType": "not-a-known-one"}),
    )
    parsed = parse(SchemaSource(text(schema)), no_refs).avro
    assert isinstance(parsed, avro.schema.RecordSchema)
    assert [f.name for f in parsed.fields] == ["a", "b", "c", "d"]


@pytest.mark.parametrize("kind", ["JSON", "PROTOBUF", "protobuf"])
def test_other_schema_types_are_refused_by_name(kind: str) -> None:
    with pytest.raises(RegistryError) as raised:
        check_type(kind)
    assert raised.value.code is ErrorCode.INVALID_SCHEMA
    assert kind.upper() in raised.value.message


def test_references_resolve_named_types_from_other_subjects() -> None:
    item = record("Item", field("sku", "string"), namespace="shop")
    order = record("Order", field("item", "shop.Item"), namespace="shop")
    ref = Reference("shop.Item", "Item-value", 1)
    sources = {("Item-value", 1): SchemaSource(text(item))}
    parsed = parse(SchemaSource(text(order), (ref,)), lambda r: sources[(r.subject, r.version)])
    assert isinstance(parsed.avro, avro.schema.RecordSchema)
    assert parsed.avro.fields[0].type.fullname == "shop.Item"
    assert "Item-value/1" in parsed.identity


def test_unresolved_reference_is_an_invalid_schema() -> None:
    order = record("Order", field("item", "shop.Item"), namespace="shop")
    with pytest.raises(RegistryError) as raised:
        parse(SchemaSource(text(order)), no_refs)
    assert raised.value.code is ErrorCode.INVALID_SCHEMA
