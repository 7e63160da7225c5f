"""The rules of each write, applied to a Store through the in-memory log."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest

from orderflow.registry import commands
from orderflow.registry.compatibility import Level
from orderflow.registry.errors import ErrorCode, RegistryError
from orderflow.registry.log import MemoryLog
from orderflow.registry.modes import Mode
from orderflow.registry.records import SchemaRecord
from orderflow.registry.schemas import Reference, SchemaSource
from orderflow.registry.service import Registry


def record(name: str, *fields: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {"type": "record", "name": name, "fields": list(fields), **extra}


def field(name: str, type_: Any, **extra: Any) -> dict[str, Any]:
    return {"name": name, "type": type_, **extra}


def text(schema: Any) -> str:
    return json.dumps(schema)


V1 = record("Order", field("id", "string"))
V2 = record("Order", field("id", "string"), field("n", "int", default=0))
BREAKING = record("Order", field("id", "int"))


def run(coroutine: Any) -> Any:
    return asyncio.run(coroutine)


@pytest.fixture
def registry() -> Registry:
    return Registry(MemoryLog())


def register(registry: Registry, subject: str, schema: Any, **kw: Any) -> int:
    refs = tuple(kw.pop("references", ()))
    request = commands.Registration(subject, SchemaSource(text(schema), refs), **kw)
    result: int = run(registry.register(request))
    return result


def code_of(call: Any) -> ErrorCode:
    with pytest.raises(RegistryError) as raised:
        call()
    return raised.value.code


def test_same_schema_again_same_id_and_no_new_version(registry: Registry) -> None:
    first = register(registry, "s", V1)
    assert register(registry, "s", V1) == first
    assert [e.version for e in registry.store.entries("s")] == [1]


def test_one_schema_under_two_subjects_shares_its_id(registry: Registry) -> None:
    assert register(registry, "a", V1) == register(registry, "b", V1)
    assert register(registry, "a", V2) == 2


def test_incompatible_schema_is_409_and_writes_nothing(registry: Registry) -> None:
    register(registry, "s", V1)
    log = registry.log
    assert isinstance(log, MemoryLog)
    written = len(log.records)
    assert code_of(lambda: register(registry, "s", BREAKING)) is ErrorCode.INCOMPATIBLE_SCHEMA
    assert len(log.records) == written


def test_level_none_lets_anything_through(registry: Registry) -> None:
    register(registry, "s", V1)
    run(registry.apply(lambda: (commands.set_config("s", Level.NONE), None)))
    assert register(registry, "s", BREAKING) == 2


def test_read_only_mode_refuses_writes_but_not_config(registry: Registry) -> None:
    register(registry, "s", V1)
    run(
        registry.apply(lambda: (commands.set_mode(registry.store, "s", Mode.READONLY, False), None))
    )
    assert code_of(lambda: register(registry, "s", V2)) is ErrorCode.OPERATION_NOT_PERMITTED
    assert (
        code_of(lambda: run(registry.delete_subject("s", False)))
        is ErrorCode.OPERATION_NOT_PERMITTED
    )
    run(registry.apply(lambda: (commands.set_config("s", Level.FULL), None)))
    assert registry.store.level("s") is Level.FULL


def test_import_mode_takes_given_ids_and_versions(registry: Registry) -> None:
    assert code_of(lambda: register(registry, "s", V1, id=42)) is ErrorCode.OPERATION_NOT_PERMITTED
    run(registry.apply(lambda: (commands.set_mode(registry.store, None, Mode.IMPORT, False), None)))
    assert register(registry, "s", V1, id=42, version=5) == 42
    assert registry.store.entry("s", 5).id == 42
    # Compatibility is not checked while importing, but ids cannot be reused.
    assert register(registry, "s", BREAKING, id=43, version=6) == 43
    assert code_of(lambda: register(registry, "t", V2, id=42)) is ErrorCode.ID_DOES_NOT_MATCH
    assert (
        code_of(lambda: register(registry, "s", V2, id=44, version=5))
        is ErrorCode.OPERATION_NOT_PERMITTED
    )


def test_import_mode_needs_an_empty_registry_unless_forced(registry: Registry) -> None:
    register(registry, "s", V1)
    store = registry.store
    assert (
        code_of(lambda: commands.set_mode(store, None, Mode.IMPORT, False))
        is ErrorCode.OPERATION_NOT_PERMITTED
    )
    assert commands.set_mode(store, None, Mode.IMPORT, True)


def test_soft_then_permanent_delete_of_a_version(registry: Registry) -> None:
    register(registry, "s", V1)
    register(registry, "s", V2)
    assert (
        code_of(lambda: run(registry.delete_version("s", 2, True)))
        is ErrorCode.VERSION_NOT_SOFT_DELETED
    )
    assert run(registry.delete_version("s", 2, False)) == 2
    assert (
        code_of(lambda: run(registry.delete_version("s", 2, False)))
        is ErrorCode.VERSION_SOFT_DELETED
    )
    assert run(registry.delete_version("s", 2, True)) == 2
    assert code_of(lambda: registry.store.schema(2)) is ErrorCode.SCHEMA_NOT_FOUND
    assert (
        code_of(lambda: run(registry.delete_version("s", 7, False))) is ErrorCode.VERSION_NOT_FOUND
    )


def test_soft_then_permanent_delete_of_a_subject(registry: Registry) -> None:
    register(registry, "s", V1)
    register(registry, "s", V2)
    assert (
        code_of(lambda: run(registry.delete_subject("s", True)))
        is ErrorCode.SUBJECT_NOT_SOFT_DELETED
    )
    assert run(registry.delete_subject("s", False)) == [1, 2]
    assert (
        code_of(lambda: run(registry.delete_subject("s", False))) is ErrorCode.SUBJECT_SOFT_DELETED
    )
    # Re-registering after a soft delete continues the numbering, keeping the id.
    assert register(registry, "s", V1) == 1
    assert [e.version for e in registry.store.entries("s")] == [3]
    assert run(registry.delete_subject("s", False)) == [3]
    assert run(registry.delete_subject("s", True)) == [1, 2, 3]
    assert code_of(lambda: run(registry.delete_subject("s", True))) is ErrorCode.SUBJECT_NOT_FOUND


def test_references_must_exist_and_protect_their_target(registry: Registry) -> None:
    item = record("Item", field("sku", "string"), namespace="shop")
    order = record("Order", field("item", "shop.Item"), namespace="shop")
    ref = Reference("shop.Item", "item", 1)
    assert (
        code_of(lambda: register(registry, "order", order, references=[ref]))
        is ErrorCode.INVALID_SCHEMA
    )
    register(registry, "item", item)
    order_id = register(registry, "order", order, references=[ref])
    assert registry.store.referenced_by("item", 1) == [order_id]
    assert (
        code_of(lambda: run(registry.delete_version("item", 1, False)))
        is ErrorCode.REFERENCE_EXISTS
    )


def test_delete_config_answers_the_previous_level(registry: Registry) -> None:
    run(registry.apply(lambda: (commands.set_config(None, Level.FULL), None)))
    assert run(registry.apply(lambda: commands.delete_config(registry.store, None))) is Level.FULL
    assert registry.store.level("any") is Level.BACKWARD
    assert (
        code_of(lambda: commands.delete_config(registry.store, "nobody"))
        is ErrorCode.SUBJECT_NOT_FOUND
    )


class RacingLog(MemoryLog):
    """A log where another registry sneaks in a record before each of our first appends."""

    def __init__(self, rival_records: list[Any]) -> None:
        super().__init__()
        self.rivals = rival_records

    async def append(self, records: Any) -> list[bool]:
        if self.rivals:
            await super().append([self.rivals.pop(0)])
        return await super().append(records)


def test_losing_a_race_to_another_registry_decides_again() -> None:
    rival = SchemaRecord("other", 1, 1, text(V2))
    registry = Registry(RacingLog([rival]))
    schema_id = register(registry, "s", V1)
    assert schema_id == 2  # id 1 went to the rival's schema
    assert registry.store.schema(1).text == text(V2)
    assert registry.store.entry("s", 1).id == 2
