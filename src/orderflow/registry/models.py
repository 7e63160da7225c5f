"""Request bodies (pydantic) and the JSON shapes of answers, as Confluent sends them."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from orderflow.registry.schemas import Reference, SchemaSource
from orderflow.registry.store import Entry, StoredSchema


class ReferenceIn(BaseModel):
    name: str
    subject: str
    version: int


class SchemaIn(BaseModel):
    # Newer clients also send metadata and ruleSet; we do not keep them.
    model_config = ConfigDict(extra="ignore", populate_by_name=True)

    schema_text: str = Field(alias="schema", min_length=1)
    schema_type: str = Field(alias="schemaType", default="AVRO")
    references: list[ReferenceIn] = Field(default_factory=list)
    id: int | None = None
    version: int | None = None

    def source(self) -> SchemaSource:
        refs = tuple(Reference(r.name, r.subject, r.version) for r in self.references)
        return SchemaSource(self.schema_text, refs)


class ConfigIn(BaseModel):
    # curl and older clients send "compatibility"; ServerConfig.to_dict() in
    # newer confluent-kafka may send "compatibilityLevel" instead.
    model_config = ConfigDict(extra="ignore", populate_by_name=True)

    compatibility: str | None = None
    compatibility_level: str | None = Field(alias="compatibilityLevel", default=None)

    def level(self) -> str | None:
        return self.compatibility or self.compatibility_level


class ModeIn(BaseModel):
    model_config = ConfigDict(extra="ignore")

    mode: str


def _extras(stored: StoredSchema) -> dict[str, Any]:
    # Confluent omits schemaType for Avro and references when there are none.
    extras: dict[str, Any] = {}
    if stored.schema_type != "AVRO":
        extras["schemaType"] = stored.schema_type
    if stored.references:
        extras["references"] = [
            {"name": r.name, "subject": r.subject, "version": r.version} for r in stored.references
        ]
    return extras


def version_body(entry: Entry, stored: StoredSchema) -> dict[str, Any]:
    return {
        "subject": entry.subject,
        "version": entry.version,
        "id": entry.id,
        "schema": stored.text,
        **_extras(stored),
    }


def schema_body(stored: StoredSchema) -> dict[str, Any]:
    return {"schema": stored.text, **_extras(stored)}
