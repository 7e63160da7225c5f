"""Parsing and normalising Avro schemas, references included.

Two submissions are "the same schema" (one id) when their parsed forms are
equal, whatever their whitespace or key order: the identity is the parsed
schema written back out with sorted keys, plus the references it was parsed
with. Field order, symbols and defaults still count, because they change what
the schema means.
"""

from __future__ import annotations

import json
import warnings
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from enum import StrEnum

import avro.errors
import avro.io
import avro.name
import avro.schema

from orderflow.registry.errors import RegistryError, invalid_schema

# Confluent refuses to follow reference chains deeper than this; so do we, to
# stop a cycle of references from recursing until the stack runs out.
MAX_REFERENCE_DEPTH = 32


class SchemaType(StrEnum):
    AVRO = "AVRO"
    JSON = "JSON"
    PROTOBUF = "PROTOBUF"


SUPPORTED_TYPES = (SchemaType.AVRO,)


@dataclass(frozen=True)
class Reference:
    name: str
    subject: str
    version: int


@dataclass(frozen=True)
class SchemaSource:
    """A schema as stored: its text and what it refers to."""

    text: str
    references: tuple[Reference, ...] = ()


@dataclass(frozen=True)
class ParsedSchema:
    text: str
    references: tuple[Reference, ...]
    identity: str
    avro: avro.schema.Schema


# Finds the schema a reference points at, or raises RegistryError.
ReferenceResolver = Callable[[Reference], SchemaSource]


def check_type(schema_type: str) -> SchemaType:
    try:
        kind = SchemaType(schema_type.upper())
    except ValueError:
        raise invalid_schema(f"unknown schemaType '{schema_type}'") from None
    if kind not in SUPPORTED_TYPES:
        raise invalid_schema(
            f"schemaType {kind.value} is not supported by this registry; only AVRO is"
        )
    return kind


def parse(source: SchemaSource, resolve: ReferenceResolver) -> ParsedSchema:
    """Parse and validate an Avro schema; RegistryError(42201) when it is not one."""
    try:
        document = json.loads(source.text)
    except ValueError as error:
        raise invalid_schema(f"not JSON: {error}") from None
    except RecursionError:
        raise invalid_schema("schema nests too deeply") from None
    names = avro.name.Names(validate_names=True)
    schema = _make(document, source.references, resolve, names, loaded=set(), depth=0)
    _check_defaults(schema)
    return ParsedSchema(
        text=json.dumps(document, separators=(",", ":"), ensure_ascii=False),
        references=source.references,
        identity=identity_of(schema, source.references),
        avro=schema,
    )


def identity_of(schema: avro.schema.Schema, references: Sequence[Reference]) -> str:
    body = json.dumps(schema.to_json(), sort_keys=True, separators=(",", ":"))
    refs = ";".join(f"{r.name}={r.subject}/{r.version}" for r in references)
    return f"{body}|{refs}"


def _make(
    document: object,
    references: Sequence[Reference],
    resolve: ReferenceResolver,
    names: avro.name.Names,
    loaded: set[tuple[str, int]],
    depth: int,
) -> avro.schema.Schema:
    if depth > MAX_REFERENCE_DEPTH:
        raise invalid_schema("references nest too deeply (a cycle?)")
    for reference in references:
        if (reference.subject, reference.version) in loaded:
            continue
        loaded.add((reference.subject, reference.version))
        target = resolve(reference)
        try:
            referenced = json.loads(target.text)
        except ValueError:
            raise invalid_schema(f"reference {reference.name} is not JSON") from None
        _make(referenced, target.references, resolve, names, loaded, depth + 1)
    try:
        # avro warns (rather than fails) on unknown logical types; the schema is
        # still valid Avro, so the warning must not become an error under -W error.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", avro.errors.AvroWarning)
            return avro.schema.make_avsc_object(document, names)
    except RegistryError:
        raise
    except (avro.errors.AvroException, TypeError, ValueError, AttributeError, KeyError) as error:
        raise invalid_schema(str(error) or type(error).__name__) from None
    except RecursionError:
        raise invalid_schema("schema nests too deeply") from None


def _check_defaults(schema: avro.schema.Schema) -> None:
    """Avro's Python parser accepts any default; Confluent (Java) rejects bad ones."""
    for record in _records(schema, seen=set()):
        for field in record.fields:
            if not field.has_default:
                continue
            target = field.type
            if isinstance(target, avro.schema.UnionSchema) and target.schemas:
                target = target.schemas[0]
            if target.type in {"bytes", "fixed"}:
                continue  # JSON encodes these as strings; avro.io expects bytes
            if not avro.io.validate(target, field.default):
                raise invalid_schema(
                    f"default {json.dumps(field.default)} of field '{field.name}' "
                    f"in '{record.fullname}' does not match its type"
                )


def _records(schema: avro.schema.Schema, seen: set[str]) -> Iterator[avro.schema.RecordSchema]:
    if isinstance(schema, avro.schema.RecordSchema):
        if schema.fullname in seen:
            return
        seen.add(schema.fullname)
        yield schema
        for field in schema.fields:
            yield from _records(field.type, seen)
    elif isinstance(schema, avro.schema.UnionSchema):
        for branch in schema.schemas:
            yield from _records(branch, seen)
    elif isinstance(schema, avro.schema.ArraySchema):
        yield from _records(schema.items, seen)
    elif isinstance(schema, avro.schema.MapSchema):
        yield from _records(schema.values, seen)


def reference_error(reference: Reference) -> RegistryError:
    return invalid_schema(
        f"reference {reference.name} to subject '{reference.subject}' "
        f"version {reference.version} not found"
    )
