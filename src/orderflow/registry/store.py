"""The registry's state in memory: a pure fold over the ``_schemas`` records.

Every registry process that reads the same topic in the same order ends up
with the same Store, which is what makes ids and versions stable across
restarts. Nothing here talks to Kafka or HTTP.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from typing import TypeVar

from orderflow.registry import errors
from orderflow.registry.compatibility import DEFAULT_LEVEL, Level
from orderflow.registry.modes import DEFAULT_MODE, Mode
from orderflow.registry.records import (
    ConfigRecord,
    DeleteSubjectRecord,
    ModeRecord,
    NoopRecord,
    Record,
    SchemaRecord,
    SchemaTombstone,
)
from orderflow.registry.schemas import ParsedSchema, Reference, SchemaSource, parse

log = logging.getLogger(__name__)

LATEST = -1

_V = TypeVar("_V", Level, Mode)


@dataclass(frozen=True)
class StoredSchema:
    id: int
    text: str
    schema_type: str
    references: tuple[Reference, ...]
    parsed: ParsedSchema | None  # None only for a record written by someone else we can't parse


@dataclass(frozen=True)
class Entry:
    """One version of one subject."""

    subject: str
    version: int
    id: int
    deleted: bool


class Store:
    def __init__(self) -> None:
        self._subjects: dict[str, dict[int, Entry]] = {}
        self._schemas: dict[int, StoredSchema] = {}
        self._uses: dict[int, set[tuple[str, int]]] = {}
        self._ids_by_identity: dict[str, int] = {}
        self._config: dict[str | None, Level] = {}
        self._mode: dict[str | None, Mode] = {}
        self.max_id = 0

    # --- applying records -------------------------------------------------

    def apply(self, record: Record) -> bool:
        """Fold one record in; False when refused as a conflict (see _apply_schema)."""
        match record:
            case SchemaRecord():
                return self._apply_schema(record)
            case SchemaTombstone(subject=subject, version=version):
                self._drop(subject, version)
            case DeleteSubjectRecord(subject=subject, version=version):
                for entry in list(self._subjects.get(subject, {}).values()):
                    if entry.version <= version:
                        self._subjects[subject][entry.version] = replace(entry, deleted=True)
            case ConfigRecord(subject=subject, level=level):
                self._set(self._config, subject, None if level is None else Level.parse(level))
            case ModeRecord(subject=subject, mode=mode):
                self._set(self._mode, subject, None if mode is None else Mode.parse(mode))
            case NoopRecord():
                pass
        return True

    def _apply_schema(self, record: SchemaRecord) -> bool:
        # First write wins, decided by log order, so that every reader agrees
        # even if two registry processes raced: an id already bound to another
        # schema, or a version already holding another id, refuses the record.
        known = self._schemas.get(record.id)
        source = (record.schema, record.schema_type, record.references)
        if known is not None and (known.text, known.schema_type, known.references) != source:
            log.warning("refused %s: id %d holds another schema", record, record.id)
            return False
        current = self._subjects.get(record.subject, {}).get(record.version)
        if current is not None and current.id != record.id:
            log.warning("refused %s: version holds id %d", record, current.id)
            return False
        if known is None:
            known = self._remember(record)
        self._subjects.setdefault(record.subject, {})[record.version] = Entry(
            record.subject, record.version, record.id, record.deleted
        )
        self._uses.setdefault(record.id, set()).add((record.subject, record.version))
        self.max_id = max(self.max_id, record.id)
        return True

    def _remember(self, record: SchemaRecord) -> StoredSchema:
        parsed: ParsedSchema | None
        try:
            parsed = parse(SchemaSource(record.schema, record.references), self.resolve)
        except errors.RegistryError as error:
            log.warning("schema id %d is not valid Avro here: %s", record.id, error.message)
            parsed = None
        stored = StoredSchema(
            record.id, record.schema, record.schema_type, record.references, parsed
        )
        self._schemas[record.id] = stored
        if parsed is not None:
            self._ids_by_identity.setdefault(parsed.identity, record.id)
        return stored

    def _drop(self, subject: str, version: int) -> None:
        entry = self._subjects.get(subject, {}).pop(version, None)
        if entry is None:
            return
        if not self._subjects[subject]:
            del self._subjects[subject]
        uses = self._uses.get(entry.id, set())
        uses.discard((subject, version))
        if not uses:
            # No version holds the id any more: GET /schemas/ids/{id} is 404 now.
            stored = self._schemas.pop(entry.id)
            self._uses.pop(entry.id, None)
            # IMPORT can give one schema two ids; only forget the identity if it is this id's.
            if (
                stored.parsed is not None
                and self._ids_by_identity.get(stored.parsed.identity) == entry.id
            ):
                del self._ids_by_identity[stored.parsed.identity]

    @staticmethod
    def _set(table: dict[str | None, _V], key: str | None, value: _V | None) -> None:
        if value is None:
            table.pop(key, None)
        else:
            table[key] = value

    # --- reading ----------------------------------------------------------

    def subjects(self, deleted: bool = False) -> list[str]:
        return sorted(s for s, versions in self._subjects.items() if self._any(versions, deleted))

    def has_subject(self, subject: str, deleted: bool = False) -> bool:
        return self._any(self._subjects.get(subject, {}), deleted)

    @staticmethod
    def _any(versions: dict[int, Entry], deleted: bool) -> bool:
        return any(deleted or not e.deleted for e in versions.values())

    def entries(self, subject: str, deleted: bool = False) -> list[Entry]:
        """Versions of a subject, oldest first; 40401 when it has none."""
        found = [
            e
            for _, e in sorted(self._subjects.get(subject, {}).items())
            if deleted or not e.deleted
        ]
        if not found:
            raise errors.subject_not_found(subject)
        return found

    def entry(self, subject: str, version: int, deleted: bool = False) -> Entry:
        found = self.entries(subject, deleted)
        if version == LATEST:
            return found[-1]
        for e in found:
            if e.version == version:
                return e
        raise errors.version_not_found(version)

    def schema(self, schema_id: int) -> StoredSchema:
        stored = self._schemas.get(schema_id)
        if stored is None:
            raise errors.schema_not_found(schema_id)
        return stored

    def uses(self, schema_id: int, deleted: bool = False) -> list[Entry]:
        self.schema(schema_id)
        all_uses = (self._subjects[s][v] for s, v in self._uses.get(schema_id, ()))
        return sorted(
            (e for e in all_uses if deleted or not e.deleted), key=lambda e: (e.subject, e.version)
        )

    def find(self, subject: str, identity: str, deleted: bool = False) -> Entry | None:
        schema_id = self._ids_by_identity.get(identity)
        if schema_id is None:
            return None
        matches = [e for e in self.uses(schema_id, deleted) if e.subject == subject]
        return matches[-1] if matches else None

    def id_of(self, identity: str) -> int | None:
        return self._ids_by_identity.get(identity)

    def next_version(self, subject: str) -> int:
        # Soft-deleted versions keep their numbers, as in Confluent.
        return max(self._subjects.get(subject, {}).keys(), default=0) + 1

    def resolve(self, reference: Reference) -> SchemaSource:
        try:
            entry = self.entry(reference.subject, reference.version, deleted=True)
        except errors.RegistryError:
            raise errors.invalid_schema(
                f"reference {reference.name} to subject '{reference.subject}' "
                f"version {reference.version} not found"
            ) from None
        stored = self._schemas[entry.id]
        return SchemaSource(stored.text, stored.references)

    def referenced_by(self, subject: str, version: int) -> list[int]:
        return sorted(
            schema_id
            for schema_id, stored in self._schemas.items()
            if any(r.subject == subject and r.version == version for r in stored.references)
            and self.uses(schema_id)
        )

    def config(self, subject: str | None) -> Level | None:
        return self._config.get(subject)

    def level(self, subject: str) -> Level:
        return self._config.get(subject) or self._config.get(None) or DEFAULT_LEVEL

    def mode_of(self, subject: str | None) -> Mode | None:
        return self._mode.get(subject)

    def mode(self, subject: str) -> Mode:
        return self._mode.get(subject) or self._mode.get(None) or DEFAULT_MODE
