"""`orderflow schemas diff`'s field diff: added, removed, changed, renamed, nested; pure."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from orderflow.tools.schemas_diff import Change, Kind, change_lines, schema_changes, type_text

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"


def record(*fields: dict[str, Any], name: str = "Order", **extra: Any) -> dict[str, Any]:
    return {"type": "record", "name": name, "fields": list(fields), **extra}


def field(name: str, type_: Any, **extra: Any) -> dict[str, Any]:
    return {"name": name, "type": type_, **extra}


def example(name: str) -> Any:
    return json.loads((EXAMPLES / name).read_text())


def test_the_examples_second_version_adds_one_field_with_its_default() -> None:
    changes = schema_changes(example("order_placed.avsc"), example("order_placed_v2.avsc"))

    assert change_lines(changes) == ['+ channel: string (default "web")']


def test_the_examples_incompatible_version_adds_a_field_without_default() -> None:
    changes = schema_changes(
        example("order_placed_v2.avsc"), example("order_placed_incompatible.avsc")
    )

    assert change_lines(changes) == ["+ coupon: string (no default)"]


def test_a_removed_field_is_shown_with_what_it_was() -> None:
    old = record(field("id", "string"), field("n", "int", default=0))

    assert schema_changes(old, record(field("id", "string"))) == [
        Change(Kind.REMOVED, "n", "int (default 0)")
    ]


def test_a_type_changed_shows_both() -> None:
    old = record(field("at", {"type": "long", "logicalType": "timestamp-millis"}))
    new = record(field("at", "string"))

    assert change_lines(schema_changes(old, new)) == ["~ at: long (timestamp-millis) -> string"]


def test_a_default_added_changed_or_dropped_is_a_change() -> None:
    none = record(field("n", ["null", "int"]))
    null = record(field("n", ["null", "int"], default=None))
    zero = record(field("n", ["null", "int"], default=0))

    # A default of null is a default: not the same as none at all.
    assert change_lines(schema_changes(none, null)) == ["~ n: default none -> null"]
    assert change_lines(schema_changes(null, zero)) == ["~ n: default null -> 0"]
    assert change_lines(schema_changes(zero, none)) == ["~ n: default 0 -> none"]


def test_a_field_whose_aliases_name_a_removed_one_is_a_rename() -> None:
    old = record(field("user_id", "string"))
    new = record(field("user", "string", aliases=["user_id"], default=""))

    assert change_lines(schema_changes(old, new)) == [
        "~ user: renamed from user_id",
        '~ user: default none -> ""',
    ]


def test_nested_records_are_compared_field_by_field() -> None:
    address = record(field("city", "string"), name="Address")
    moved = record(field("city", "string"), field("zip", "string", default=""), name="Address")

    changes = schema_changes(record(field("to", address)), record(field("to", moved)))

    assert change_lines(changes) == ['+ to.zip: string (default "")']


def test_docs_and_spelling_change_nothing() -> None:
    old = record(field("id", "string", doc="the id"), doc="an order")
    new = record(field("id", {"type": "string"}), doc="an order, placed")

    assert schema_changes(old, new) == []
    assert change_lines([]) == ["no field or type changed"]


def test_a_record_renamed_says_so() -> None:
    old = record(field("id", "string"), namespace="a")
    new = record(field("id", "string"), name="a.Purchase")

    assert change_lines(schema_changes(old, new)) == [
        "~ schema: record a.Order -> record a.Purchase"
    ]


def test_same_type_names_with_other_insides_are_shown_whole() -> None:
    old = record(field("c", {"type": "enum", "name": "C", "symbols": ["A"], "default": "A"}))
    new = record(field("c", {"type": "enum", "name": "C", "symbols": ["A"]}))

    (line,) = change_lines(schema_changes(old, new))

    assert line == (
        '~ c: {"type":"enum","name":"C","symbols":["A"],"default":"A"} -> '
        '{"type":"enum","name":"C","symbols":["A"]}'
    )


def test_schemas_that_are_not_records_compare_whole() -> None:
    assert change_lines(schema_changes("string", "bytes")) == ["~ schema: string -> bytes"]
    assert schema_changes({"type": "string"}, "string") == []


@pytest.mark.parametrize(
    ("avro_type", "shown"),
    [
        ("string", "string"),
        (["null", "string"], "null | string"),
        ({"type": "array", "items": {"type": "map", "values": "long"}}, "array<map<long>>"),
        ({"type": "enum", "name": "Channel", "symbols": ["WEB", "APP"]}, "enum Channel [WEB, APP]"),
        ({"type": "fixed", "name": "Id", "size": 16}, "fixed Id(16)"),
        (
            {"type": "bytes", "logicalType": "decimal", "precision": 10, "scale": 2},
            "bytes (decimal 10,2)",
        ),
        (record(name="Line"), "record Line"),
    ],
)
def test_type_text(avro_type: Any, shown: str) -> None:
    assert type_text(avro_type) == shown
