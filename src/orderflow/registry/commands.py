"""What a write does: from the current Store and a request, the records to append.

Pure functions, so every rule (modes, compatibility, id reuse, soft-then-hard
delete) is unit tested without Kafka. The caller appends the records and
answers only once they have come back from the topic.
"""

from __future__ import annotations

from dataclasses import dataclass

from orderflow.registry import errors
from orderflow.registry.compatibility import Earlier, Level, against, check
from orderflow.registry.errors import ErrorCode, RegistryError
from orderflow.registry.modes import Mode
from orderflow.registry.records import (
    ConfigRecord,
    DeleteSubjectRecord,
    ModeRecord,
    Record,
    SchemaRecord,
    SchemaTombstone,
)
from orderflow.registry.schemas import ParsedSchema, SchemaSource, check_type, parse
from orderflow.registry.store import LATEST, Entry, Store


@dataclass(frozen=True)
class Registration:
    subject: str
    source: SchemaSource
    schema_type: str = "AVRO"
    id: int | None = None  # only in IMPORT mode
    version: int | None = None  # only in IMPORT mode


def parse_for(store: Store, source: SchemaSource, schema_type: str) -> ParsedSchema:
    check_type(schema_type)
    for reference in source.references:
        # A new schema may only point at live versions (Confluent: 42201).
        try:
            store.entry(reference.subject, reference.version)
        except RegistryError:
            raise errors.invalid_schema(
                f"reference {reference.name} to subject '{reference.subject}' "
                f"version {reference.version} not found"
            ) from None
    return parse(source, store.resolve)


def history(store: Store, subject: str) -> list[Earlier]:
    if not store.has_subject(subject):
        return []
    found = []
    for entry in store.entries(subject):
        parsed = store.schema(entry.id).parsed
        if parsed is not None:
            found.append(Earlier(entry.version, parsed.avro, parsed.text))
    return found


def register(store: Store, request: Registration) -> tuple[list[Record], int]:
    """The records that register the schema, and its id (no records: already there)."""
    subject = request.subject
    mode = store.mode(subject)
    if mode is Mode.READONLY:
        raise errors.not_permitted(f"Subject {subject} is in read-only mode")
    importing = request.id is not None or request.version is not None
    if importing and mode is not Mode.IMPORT:
        raise errors.not_permitted(f"Subject {subject} is not in import mode")
    parsed = parse_for(store, request.source, request.schema_type)
    existing = store.find(subject, parsed.identity)
    if existing is not None and request.id in (None, existing.id):
        return [], existing.id
    if mode is not Mode.IMPORT:
        level = store.level(subject)
        reasons = check(parsed.avro, level, against(level, history(store, subject)))
        if reasons:
            raise RegistryError(
                ErrorCode.INCOMPATIBLE_SCHEMA,
                "Schema being registered is incompatible with an earlier schema for subject "
                f'"{subject}", details: [{", ".join(reasons)}]',
            )
    schema_id = _choose_id(store, parsed, request.id)
    version = _choose_version(store, subject, request.version)
    # Reusing an id must reuse its exact stored text: the store refuses an id
    # whose record disagrees with the first one (see Store._apply_schema).
    known = store.id_of(parsed.identity) == schema_id
    text = store.schema(schema_id).text if known else parsed.text
    record = SchemaRecord(subject, version, schema_id, text, "AVRO", parsed.references)
    return [record], schema_id


def _choose_id(store: Store, parsed: ParsedSchema, wanted: int | None) -> int:
    same = store.id_of(parsed.identity)
    if wanted is None:
        return same if same is not None else store.max_id + 1
    if wanted < 1:
        raise RegistryError(ErrorCode.ID_DOES_NOT_MATCH, f"Invalid schema id {wanted}")
    try:
        holder = store.schema(wanted)
    except RegistryError:
        return wanted
    if holder.parsed is None or holder.parsed.identity != parsed.identity:
        raise RegistryError(
            ErrorCode.ID_DOES_NOT_MATCH,
            f"Overwrite new schema with id {wanted} is not permitted.",
        )
    return wanted


def _choose_version(store: Store, subject: str, wanted: int | None) -> int:
    if wanted is None:
        return store.next_version(subject)
    if wanted < 1 or (store.has_subject(subject, deleted=True) and _exists(store, subject, wanted)):
        raise errors.not_permitted(
            f"Version {wanted} of subject {subject} exists; overwriting is not permitted."
        )
    return wanted


def _exists(store: Store, subject: str, version: int) -> bool:
    return any(e.version == version for e in store.entries(subject, deleted=True))


def _writable(store: Store, subject: str) -> None:
    if store.mode(subject) is Mode.READONLY:
        raise errors.not_permitted(f"Subject {subject} is in read-only mode")


def _soft_deleted(entry: Entry, store: Store) -> SchemaRecord:
    stored = store.schema(entry.id)
    return SchemaRecord(
        entry.subject,
        entry.version,
        entry.id,
        stored.text,
        stored.schema_type,
        stored.references,
        deleted=True,
    )


def _not_referenced(store: Store, entry: Entry) -> None:
    if store.referenced_by(entry.subject, entry.version):
        raise RegistryError(
            ErrorCode.REFERENCE_EXISTS,
            f"One or more references exist to the schema "
            f"{{subject={entry.subject},version={entry.version}}}.",
        )


def delete_version(
    store: Store, subject: str, version: int, permanent: bool
) -> tuple[list[Record], int]:
    _writable(store, subject)
    if not permanent:
        if version != LATEST:
            entry = store.entry(subject, version, deleted=True)
            if entry.deleted:
                raise RegistryError(
                    ErrorCode.VERSION_SOFT_DELETED,
                    f"Subject '{subject}' Version {version} was soft deleted. "
                    "Set permanent=true to delete permanently",
                )
        else:
            entry = store.entry(subject, LATEST)
        _not_referenced(store, entry)
        return [_soft_deleted(entry, store)], entry.version
    entry = store.entry(subject, version, deleted=True)
    if not entry.deleted:
        raise RegistryError(
            ErrorCode.VERSION_NOT_SOFT_DELETED,
            f"Subject '{subject}' Version {entry.version} was not deleted first "
            "before being permanently deleted",
        )
    return [SchemaTombstone(subject, entry.version)], entry.version


def delete_subject(store: Store, subject: str, permanent: bool) -> tuple[list[Record], list[int]]:
    _writable(store, subject)
    everything = store.entries(subject, deleted=True)
    live = [e for e in everything if not e.deleted]
    if not permanent:
        if not live:
            raise RegistryError(
                ErrorCode.SUBJECT_SOFT_DELETED,
                f"Subject '{subject}' was soft deleted. Set permanent=true to delete permanently",
            )
        for entry in live:
            _not_referenced(store, entry)
        records: list[Record] = [_soft_deleted(e, store) for e in live]
        records.append(DeleteSubjectRecord(subject, live[-1].version))
        return records, [e.version for e in live]
    if live:
        raise RegistryError(
            ErrorCode.SUBJECT_NOT_SOFT_DELETED,
            f"Subject '{subject}' was not deleted first before being permanently deleted",
        )
    return [SchemaTombstone(subject, e.version) for e in everything], [
        e.version for e in everything
    ]


def set_config(subject: str | None, level: Level) -> list[Record]:
    return [ConfigRecord(subject, level.value)]


def delete_config(store: Store, subject: str | None) -> tuple[list[Record], Level]:
    if subject is None:
        return [ConfigRecord(None, None)], store.config(None) or Level.BACKWARD
    previous = store.config(subject)
    if previous is None:
        if not store.has_subject(subject, deleted=True):
            raise errors.subject_not_found(subject)
        return [], store.level(subject)
    return [ConfigRecord(subject, None)], previous


def set_mode(store: Store, subject: str | None, mode: Mode, force: bool) -> list[Record]:
    if mode is Mode.IMPORT and not force:
        # Importing under ids of our choosing is only safe into an empty space.
        occupied = store.has_subject(subject, True) if subject else store.subjects(True)
        if occupied:
            raise errors.not_permitted("Cannot import since found existing subjects")
    return [ModeRecord(subject, mode.value)]


def delete_mode(store: Store, subject: str) -> tuple[list[Record], Mode]:
    previous = store.mode_of(subject)
    if previous is None:
        if not store.has_subject(subject, deleted=True):
            raise errors.subject_not_found(subject)
        return [], store.mode(subject)
    return [ModeRecord(subject, None)], previous
