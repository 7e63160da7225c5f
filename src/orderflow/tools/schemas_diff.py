"""What changed between two versions of an Avro schema, field by field; pure.

`orderflow schemas diff` prints it. A record's fields are matched by name, and
a new field whose ``aliases`` name a field that is gone is that field renamed,
as Avro's schema resolution reads it. A field changed when its type or its
default did; a field of record type is compared field by field (``address.city``).
Docs are left out: they change nothing a writer writes or a reader reads.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any


class Kind(StrEnum):
    ADDED = "+"
    REMOVED = "-"
    CHANGED = "~"


@dataclass(frozen=True)
class Change:
    """One difference: ``what`` names it ("string (default "web")", "long -> string")."""

    kind: Kind
    path: str
    """The field, dotted inside nested records; "" for the schema itself."""
    what: str


def schema_changes(old: Any, new: Any) -> list[Change]:
    """The changes from ``old`` to ``new``, both parsed .avsc JSON; empty when none."""
    return _changes(_normal(old), _normal(new), "")


def change_lines(changes: Sequence[Change]) -> list[str]:
    """One line a change: ``+ channel: string (default "web")``, ``- coupon: string``."""
    if not changes:
        return ["no field or type changed"]
    return [f"{c.kind} {c.path or 'schema'}: {c.what}" for c in changes]


def type_text(avro_type: Any) -> str:
    """A type as a reader says it: ``array<string>``, ``null | string``, ``long (date)``."""
    avro_type = _normal(avro_type)
    if isinstance(avro_type, str):
        return avro_type
    if isinstance(avro_type, list):
        return " | ".join(type_text(branch) for branch in avro_type)
    if not isinstance(avro_type, dict):
        return _compact(avro_type)
    if "logicalType" in avro_type:
        base = {
            k: v for k, v in avro_type.items() if k not in {"logicalType", "precision", "scale"}
        }
        logical = str(avro_type["logicalType"])
        if "precision" in avro_type:
            logical += f" {avro_type['precision']},{avro_type.get('scale', 0)}"
        return f"{type_text(base)} ({logical})"
    kind = avro_type.get("type")
    if kind == "record":
        return f"record {avro_type.get('name')}"
    if kind == "enum":
        return f"enum {avro_type.get('name')} [{', '.join(avro_type.get('symbols', []))}]"
    if kind == "fixed":
        return f"fixed {avro_type.get('name')}({avro_type.get('size')})"
    if kind == "array":
        return f"array<{type_text(avro_type.get('items'))}>"
    if kind == "map":
        return f"map<{type_text(avro_type.get('values'))}>"
    return _compact(avro_type)


def _changes(old: Any, new: Any, path: str) -> list[Change]:
    if _is_record(old) and _is_record(new):
        return _record_changes(old, new, path)
    if _key(old) == _key(new):
        return []
    return [Change(Kind.CHANGED, path, _from_to(old, new))]


def _record_changes(old: Mapping[str, Any], new: Mapping[str, Any], path: str) -> list[Change]:
    changes: list[Change] = []
    if _full_name(old) != _full_name(new):
        changes.append(
            Change(Kind.CHANGED, path, f"record {_full_name(old)} -> record {_full_name(new)}")
        )
    before = {field["name"]: field for field in old.get("fields", [])}
    matched: set[str] = set()
    for field in new.get("fields", []):
        name = field["name"]
        where = f"{path}.{name}" if path else name
        if name in before:
            matched.add(name)
            changes += _field_changes(before[name], field, where)
            continue
        renamed = next(
            (a for a in field.get("aliases", []) if a in before and a not in matched), None
        )
        if renamed is None:
            changes.append(Change(Kind.ADDED, where, _declared(field)))
            continue
        matched.add(renamed)
        changes.append(Change(Kind.CHANGED, where, f"renamed from {renamed}"))
        changes += _field_changes(before[renamed], field, where)
    for name, field in before.items():
        if name not in matched:
            where = f"{path}.{name}" if path else name
            changes.append(Change(Kind.REMOVED, where, _declared(field)))
    return changes


def _field_changes(old: Mapping[str, Any], new: Mapping[str, Any], path: str) -> list[Change]:
    changes = _changes(old["type"], new["type"], path)
    if _default(old) != _default(new):
        shown = f"default {_default_text(old)} -> {_default_text(new)}"
        changes.append(Change(Kind.CHANGED, path, shown))
    return changes


def _declared(field: Mapping[str, Any]) -> str:
    default = "no default" if "default" not in field else f"default {_default_text(field)}"
    return f"{type_text(field['type'])} ({default})"


def _default(field: Mapping[str, Any]) -> tuple[bool, str]:
    # (has one, its JSON): a default of null is a default, unlike none at all.
    return ("default" in field, _key(field.get("default")))


def _default_text(field: Mapping[str, Any]) -> str:
    if "default" not in field:
        return "none"
    return json.dumps(field["default"], ensure_ascii=False)


def _from_to(old: Any, new: Any) -> str:
    before, after = type_text(old), type_text(new)
    if before == after:
        # Same name, other insides (an enum's default, a record in a union): show them whole.
        before, after = _compact(old), _compact(new)
    return f"{before} -> {after}"


def _is_record(avro_type: Any) -> bool:
    return isinstance(avro_type, dict) and avro_type.get("type") == "record"


def _full_name(record: Mapping[str, Any]) -> str:
    name = str(record.get("name", ""))
    namespace = record.get("namespace")
    return name if "." in name or not namespace else f"{namespace}.{name}"


def _normal(avro_type: Any) -> Any:
    """``{"type": "string"}`` as ``"string"``, and no docs, at every depth."""
    if isinstance(avro_type, list):
        return [_normal(branch) for branch in avro_type]
    if not isinstance(avro_type, dict):
        return avro_type
    if set(avro_type) == {"type"}:
        return _normal(avro_type["type"])
    normal = {key: value for key, value in avro_type.items() if key != "doc"}
    for key in ("type", "items", "values"):
        if key in normal:
            normal[key] = _normal(normal[key])
    if isinstance(normal.get("fields"), list):
        normal["fields"] = [_normal(field) for field in normal["fields"]]
    return normal


def _key(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


def _compact(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)
