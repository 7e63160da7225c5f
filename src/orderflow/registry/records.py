"""The records of the ``_schemas`` topic, byte for byte as Confluent writes them.

Keys are JSON with a fixed field order because log compaction compares key
bytes: our key for (subject, version) must be the very bytes Confluent's (and
Karapace's) would be, or a topic shared with them would keep two live records
for one version. Values are JSON too; a null value (tombstone) deletes.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from orderflow.registry.schemas import Reference


@dataclass(frozen=True)
class SchemaRecord:
    subject: str
    version: int
    id: int
    schema: str
    schema_type: str = "AVRO"
    references: tuple[Reference, ...] = ()
    deleted: bool = False


@dataclass(frozen=True)
class SchemaTombstone:
    """A version deleted for good (``permanent=true``)."""

    subject: str
    version: int


@dataclass(frozen=True)
class ConfigRecord:
    """A compatibility level set (or deleted) globally or for one subject."""

    subject: str | None  # None is the global config
    level: str | None  # None deletes it


@dataclass(frozen=True)
class ModeRecord:
    """A mode set (or deleted) globally or for one subject."""

    subject: str | None
    mode: str | None


@dataclass(frozen=True)
class DeleteSubjectRecord:
    subject: str
    version: int  # every version up to this one is soft-deleted


@dataclass(frozen=True)
class NoopRecord:
    pass


Record = (
    SchemaRecord | SchemaTombstone | ConfigRecord | ModeRecord | DeleteSubjectRecord | NoopRecord
)


def _dump(data: dict[str, Any]) -> bytes:
    return json.dumps(data, separators=(",", ":"), ensure_ascii=False).encode()


def encode(record: Record) -> tuple[bytes, bytes | None]:
    match record:
        case SchemaRecord() | SchemaTombstone():
            key = _dump(
                {
                    "keytype": "SCHEMA",
                    "subject": record.subject,
                    "version": record.version,
                    "magic": 1,
                }
            )
            return key, _schema_value(record) if isinstance(record, SchemaRecord) else None
        case ConfigRecord(subject=subject, level=level):
            key = _dump({"keytype": "CONFIG", "subject": subject, "magic": 0})
            return key, None if level is None else _dump({"compatibilityLevel": level})
        case ModeRecord(subject=subject, mode=mode):
            key = _dump({"keytype": "MODE", "subject": subject, "magic": 0})
            return key, None if mode is None else _dump({"mode": mode})
        case DeleteSubjectRecord(subject=subject, version=version):
            key = _dump({"keytype": "DELETE_SUBJECT", "subject": subject, "magic": 0})
            return key, _dump({"subject": subject, "version": version})
        case NoopRecord():
            return _dump({"keytype": "NOOP", "magic": 0}), None


def _schema_value(record: SchemaRecord) -> bytes:
    value: dict[str, Any] = {
        "subject": record.subject,
        "version": record.version,
        "id": record.id,
        "schema": record.schema,
        "deleted": record.deleted,
    }
    # Confluent leaves these out for plain Avro; readers default them.
    if record.schema_type != "AVRO":
        value["schemaType"] = record.schema_type
    if record.references:
        value["references"] = [
            {"name": r.name, "subject": r.subject, "version": r.version} for r in record.references
        ]
    return _dump(value)


class CorruptRecord(ValueError):
    """A record we cannot read; the reader logs it and moves on, as Confluent does."""


def decode(key: bytes, value: bytes | None) -> Record | None:
    """The record, or None for a key type this registry does not use."""
    try:
        k = json.loads(key)
        v = None if value is None else json.loads(value)
        if not isinstance(k, dict) or not isinstance(v, dict | None):
            raise CorruptRecord("key or value is not a JSON object")
        return _decode(k, v)
    except (ValueError, KeyError, TypeError) as error:
        raise CorruptRecord(str(error)) from error


def _decode(k: dict[str, Any], v: dict[str, Any] | None) -> Record | None:
    keytype = k.get("keytype")
    if keytype == "SCHEMA":
        subject, version = str(k["subject"]), int(k["version"])
        if v is None:
            return SchemaTombstone(subject, version)
        references = tuple(
            Reference(str(r["name"]), str(r["subject"]), int(r["version"]))
            for r in v.get("references") or ()
        )
        return SchemaRecord(
            subject=subject,
            version=version,
            id=int(v["id"]),
            schema=str(v["schema"]),
            schema_type=str(v.get("schemaType") or "AVRO"),
            references=references,
            deleted=bool(v.get("deleted", False)),
        )
    if keytype == "CONFIG":
        level = None if v is None else v.get("compatibilityLevel")
        return ConfigRecord(k.get("subject"), None if level is None else str(level))
    if keytype == "MODE":
        mode = None if v is None else v.get("mode")
        return ModeRecord(k.get("subject"), None if mode is None else str(mode))
    if keytype == "DELETE_SUBJECT":
        if v is None:
            return NoopRecord()
        return DeleteSubjectRecord(str(v["subject"]), int(v["version"]))
    if keytype == "NOOP":
        return NoopRecord()
    return None
