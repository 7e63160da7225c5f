"""Compatibility levels and the check behind them.

The resolution rules themselves (promotions, defaults, aliases, enums, unions,
nested records) come from Apache Avro's ReaderWriterCompatibilityChecker; this
module only decides who reads whom and against which earlier versions.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import avro.schema
from avro.compatibility import ReaderWriterCompatibilityChecker, SchemaCompatibilityType

from orderflow.registry.choices import parse_choice
from orderflow.registry.errors import invalid_compatibility_level

# avro ships type hints but leaves the checker's constructor unannotated; typed
# as Any here so strict mypy accepts the call without an ignore.
_CHECKER: Any = ReaderWriterCompatibilityChecker


class Level(StrEnum):
    NONE = "NONE"
    BACKWARD = "BACKWARD"
    BACKWARD_TRANSITIVE = "BACKWARD_TRANSITIVE"
    FORWARD = "FORWARD"
    FORWARD_TRANSITIVE = "FORWARD_TRANSITIVE"
    FULL = "FULL"
    FULL_TRANSITIVE = "FULL_TRANSITIVE"

    @classmethod
    def parse(cls, raw: object) -> Level:
        return parse_choice(cls, raw, lambda _: invalid_compatibility_level())

    @property
    def transitive(self) -> bool:
        return self.value.endswith("_TRANSITIVE")

    @property
    def new_reads_old(self) -> bool:
        return self.value.startswith(("BACKWARD", "FULL"))

    @property
    def old_reads_new(self) -> bool:
        return self.value.startswith(("FORWARD", "FULL"))


DEFAULT_LEVEL = Level.BACKWARD


@dataclass(frozen=True)
class Earlier:
    """A registered version the candidate is checked against."""

    version: int
    schema: avro.schema.Schema
    text: str


def against(level: Level, history: Sequence[Earlier]) -> Sequence[Earlier]:
    """Which versions a new schema must be compatible with (history oldest first)."""
    if level is Level.NONE or not history:
        return ()
    return tuple(history) if level.transitive else (history[-1],)


def check(candidate: avro.schema.Schema, level: Level, earlier: Sequence[Earlier]) -> list[str]:
    """The reasons the candidate is incompatible; empty when it is compatible."""
    reasons: list[str] = []
    for old in earlier:
        found: list[str] = []
        if level.new_reads_old:
            found += _problems(reader=candidate, writer=old.schema, side="new schema reading old")
        if level.old_reads_new:
            found += _problems(reader=old.schema, writer=candidate, side="old schema reading new")
        if found:
            reasons += found
            reasons.append(f"{{oldSchemaVersion: {old.version}}}")
            reasons.append(f"{{oldSchema: '{old.text}'}}")
    if reasons:
        reasons.append(f"{{compatibility: '{level.value}'}}")
    return reasons


def _problems(reader: avro.schema.Schema, writer: avro.schema.Schema, side: str) -> list[str]:
    result = _CHECKER().get_compatibility(reader, writer)
    if result.compatibility is SchemaCompatibilityType.compatible:
        return []
    kinds = ", ".join(sorted(k.name.upper() for k in result.incompatibilities))
    where = ", ".join(sorted(result.locations))
    detail = "; ".join(sorted(result.messages))
    return [
        f"{{errorType:'{kinds}', description:'{side} is incompatible at '{where}'', "
        f"additionalInfo:'{detail}'}}"
    ]
