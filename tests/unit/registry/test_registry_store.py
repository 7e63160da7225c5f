from __future__ import annotations

import pytest

from orderflow.registry.compatibility import Level
from orderflow.registry.errors import ErrorCode, RegistryError
from orderflow.registry.modes import Mode
from orderflow.registry.records import (
    ConfigRecord,
    DeleteSubjectRecord,
    ModeRecord,
    SchemaRecord,
    SchemaTombstone,
)
from orderflow.registry.store import LATEST, Store

INT = '"int"'
LONG = '"long"'


def store_with(*records: SchemaRecord) -> Store:
    store = Store()
    for record in records:
        assert store.apply(record)
    return store


def test_versions_subjects_and_ids() -> None:
    store = store_with(
        SchemaRecord("a", 1, 1, INT), SchemaRecord("a", 2, 2, LONG), SchemaRecord("b", 1, 1, INT)
    )
    assert store.subjects() == ["a", "b"]
    assert [e.version for e in store.entries("a")] == [1, 2]
    assert store.entry("a", LATEST).id == 2
    assert [(e.subject, e.version) for e in store.uses(1)] == [("a", 1), ("b", 1)]
    assert store.max_id == 2
    assert store.next_version("a") == 3
    assert store.next_version("new") == 1


def test_unknown_subject_version_and_id() -> None:
    store = store_with(SchemaRecord("a", 1, 1, INT))
    with pytest.raises(RegistryError) as subject:
        store.entries("zz")
    with pytest.raises(RegistryError) as version:
        store.entry("a", 9)
    with pytest.raises(RegistryError) as schema:
        store.schema(9)
    assert subject.value.code is ErrorCode.SUBJECT_NOT_FOUND
    assert version.value.code is ErrorCode.VERSION_NOT_FOUND
    assert schema.value.code is ErrorCode.SCHEMA_NOT_FOUND


def test_soft_delete_hides_but_keeps_numbers_and_id() -> None:
    store = store_with(SchemaRecord("a", 1, 1, INT), SchemaRecord("a", 2, 2, LONG))
    store.apply(SchemaRecord("a", 2, 2, LONG, deleted=True))
    assert [e.version for e in store.entries("a")] == [1]
    assert [e.version for e in store.entries("a", deleted=True)] == [1, 2]
    assert store.next_version("a") == 3
    assert store.schema(2).text == LONG  # deserializers still find old data's schema


def test_delete_subject_record_soft_deletes_up_to_its_version() -> None:
    store = store_with(SchemaRecord("a", 1, 1, INT), SchemaRecord("a", 2, 2, LONG))
    store.apply(DeleteSubjectRecord("a", 2))
    assert store.subjects() == []
    assert store.subjects(deleted=True) == ["a"]


def test_tombstone_forgets_version_and_then_the_id() -> None:
    store = store_with(SchemaRecord("a", 1, 1, INT), SchemaRecord("b", 1, 1, INT))
    store.apply(SchemaTombstone("a", 1))
    assert store.schema(1).text == INT  # b still holds it
    store.apply(SchemaTombstone("b", 1))
    with pytest.raises(RegistryError):
        store.schema(1)
    assert store.subjects(deleted=True) == []


def test_first_record_wins_an_id_race() -> None:
    # Two writers both chose id 1 for different schemas; log order decides.
    store = store_with(SchemaRecord("a", 1, 1, INT))
    assert not store.apply(SchemaRecord("b", 1, 1, LONG))
    assert store.schema(1).text == INT
    assert not store.has_subject("b")


def test_first_record_wins_a_version_race() -> None:
    store = store_with(SchemaRecord("a", 1, 1, INT))
    assert not store.apply(SchemaRecord("a", 1, 2, LONG))
    assert store.entry("a", 1).id == 1


def test_config_and_mode_fall_back_to_global_then_default() -> None:
    store = Store()
    assert store.level("s") is Level.BACKWARD
    assert store.mode("s") is Mode.READWRITE
    store.apply(ConfigRecord(None, "FULL"))
    store.apply(ModeRecord(None, "READONLY"))
    assert store.level("s") is Level.FULL
    store.apply(ConfigRecord("s", "NONE"))
    store.apply(ModeRecord("s", "READWRITE"))
    assert (store.level("s"), store.mode("s")) == (Level.NONE, Mode.READWRITE)
    store.apply(ConfigRecord("s", None))
    assert store.level("s") is Level.FULL
    assert store.config("s") is None


def test_unparseable_schema_from_another_writer_is_kept_but_not_parsed() -> None:
    store = store_with(SchemaRecord("a", 1, 1, "{broken"))
    assert store.schema(1).parsed is None
    assert store.entry("a", 1).id == 1
