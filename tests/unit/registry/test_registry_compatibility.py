"""Every level against the evolutions people actually make."""

from __future__ import annotations

import json
from typing import Any

import pytest

from orderflow.registry.compatibility import Earlier, Level, against, check
from orderflow.registry.errors import ErrorCode, RegistryError
from orderflow.registry.schemas import Reference, SchemaSource, parse


def record(name: str, *fields: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {"type": "record", "name": name, "fields": list(fields), **extra}


def field(name: str, type_: Any, **extra: Any) -> dict[str, Any]:
    return {"name": name, "type": type_, **extra}


def text(schema: Any) -> str:
    return json.dumps(schema)


def avro(schema: Any) -> Any:
    def no_refs(reference: Reference) -> SchemaSource:
        raise AssertionError(reference)

    return parse(SchemaSource(text(schema)), no_refs).avro


def compatible(old: Any, new: Any, level: Level) -> bool:
    return not check(avro(new), level, [Earlier(1, avro(old), text(old))])


BASE = record("Order", field("id", "string"), field("qty", "int"))
STATUS = {"type": "enum", "name": "Status", "symbols": ["NEW", "PAID"]}

# (name, old, new, backward ok, forward ok)
EVOLUTIONS: list[tuple[str, Any, Any, bool, bool]] = [
    (
        "add field with default",
        BASE,
        record(
            "Order", field("id", "string"), field("qty", "int"), field("n", "string", default="")
        ),
        True,
        True,
    ),
    (
        "add field without default",
        BASE,
        record("Order", field("id", "string"), field("qty", "int"), field("n", "string")),
        False,
        True,
    ),
    ("remove field without default", BASE, record("Order", field("id", "string")), True, False),
    (
        "remove field with default",
        record("Order", field("id", "string"), field("qty", "int", default=0)),
        record("Order", field("id", "string")),
        True,
        True,
    ),
    (
        "int to long",
        BASE,
        record("Order", field("id", "string"), field("qty", "long")),
        True,
        False,
    ),
    (
        "rename with aliases",
        BASE,
        record("Order", field("id", "string"), field("quantity", "int", aliases=["qty"])),
        True,
        False,
    ),
    (
        "rename record with alias",
        BASE,
        record("Purchase", field("id", "string"), field("qty", "int"), aliases=["Order"]),
        True,
        False,
    ),
    (
        "rename without alias",
        BASE,
        record("Order", field("id", "string"), field("quantity", "int")),
        False,
        False,
    ),
    (
        "add enum symbol",
        record("Order", field("s", STATUS)),
        record("Order", field("s", {**STATUS, "symbols": ["NEW", "PAID", "SHIPPED"]})),
        True,
        False,
    ),
    (
        "remove enum symbol",
        record("Order", field("s", STATUS)),
        record("Order", field("s", {**STATUS, "symbols": ["NEW"]})),
        False,
        True,
    ),
    (
        "union widening",
        record("Order", field("v", ["null", "int"])),
        record("Order", field("v", ["null", "int", "string"])),
        True,
        False,
    ),
    (
        "nested record gains a field with default",
        record("Order", field("line", record("Line", field("sku", "string")))),
        record(
            "Order",
            field("line", record("Line", field("sku", "string"), field("n", "int", default=1))),
        ),
        True,
        True,
    ),
    (
        "nested record gains a field without default",
        record("Order", field("line", record("Line", field("sku", "string")))),
        record("Order", field("line", record("Line", field("sku", "string"), field("n", "int")))),
        False,
        True,
    ),
    (
        "string to int",
        BASE,
        record("Order", field("id", "int"), field("qty", "int")),
        False,
        False,
    ),
]


@pytest.mark.parametrize(
    ("name", "old", "new", "backward", "forward"), EVOLUTIONS, ids=[e[0] for e in EVOLUTIONS]
)
def test_each_level_on_each_evolution(
    name: str, old: Any, new: Any, backward: bool, forward: bool
) -> None:

    assert compatible(old, new, Level.NONE)
    assert compatible(old, new, Level.BACKWARD) is backward
    assert compatible(old, new, Level.BACKWARD_TRANSITIVE) is backward
    assert compatible(old, new, Level.FORWARD) is forward
    assert compatible(old, new, Level.FORWARD_TRANSITIVE) is forward
    assert compatible(old, new, Level.FULL) is (backward and forward)
    assert compatible(old, new, Level.FULL_TRANSITIVE) is (backward and forward)


V1 = record("A", field("a", "int"))
V2 = record("A", field("a", "int"), field("b", "int", default=0))


def history(*schemas: Any) -> list[Earlier]:
    return [Earlier(i + 1, avro(s), text(s)) for i, s in enumerate(schemas)]


def test_transitive_levels_check_every_version_non_transitive_only_the_latest() -> None:
    # FORWARD: old readers must read the new data. v1 requires 'a' without a
    # default; v2 gives 'a' a default; v3 drops 'a'. v2 (as reader) accepts v3,
    # v1 does not.
    v1 = record("A", field("a", "int"))
    v2 = record("A", field("a", "int", default=0))
    v3 = record("A", field("b", "int", default=0))
    past = history(v1, v2)
    assert [e.version for e in against(Level.FORWARD, past)] == [2]
    assert [e.version for e in against(Level.FORWARD_TRANSITIVE, past)] == [1, 2]
    assert not check(avro(v3), Level.FORWARD, against(Level.FORWARD, past))
    reasons = check(avro(v3), Level.FORWARD_TRANSITIVE, against(Level.FORWARD_TRANSITIVE, past))
    assert any("oldSchemaVersion: 1" in r for r in reasons)
    assert not any("oldSchemaVersion: 2" in r for r in reasons)


def test_none_checks_nothing() -> None:
    assert against(Level.NONE, history(V1, V2)) == ()


def test_reasons_name_the_problem_and_the_level() -> None:
    reasons = check(avro(record("A", field("a", "string"))), Level.BACKWARD, history(V1))
    joined = " ".join(reasons)
    assert "TYPE_MISMATCH" in joined
    assert "BACKWARD" in joined


@pytest.mark.parametrize("raw", ["backward", "Full_Transitive", "NONE"])
def test_levels_parse_case_insensitively(raw: str) -> None:
    assert Level.parse(raw).value == raw.upper()


@pytest.mark.parametrize("raw", ["WRONG", "", 3, None])
def test_unknown_level_is_42203(raw: object) -> None:
    with pytest.raises(RegistryError) as raised:
        Level.parse(raw)
    assert raised.value.code is ErrorCode.INVALID_COMPATIBILITY_LEVEL
