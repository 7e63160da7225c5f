"""What `orderflow schemas` prints, and the versions it is given; pure."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

import typer


@dataclass(frozen=True)
class Version:
    """A version of a subject as a user names it: a number, or the latest."""

    number: int | None
    """None: the latest."""

    def __str__(self) -> str:
        return "latest" if self.number is None else str(self.number)


LATEST = Version(None)


def parse_version(text: str | Version) -> Version:
    """``latest`` or a version number from 1 up; a usage error otherwise."""
    if isinstance(text, Version):  # typer hands the default through the parser too
        return text
    if text.strip().lower() == "latest":
        return LATEST
    if not text.strip().isdigit() or int(text) < 1:
        raise typer.BadParameter(f"{text!r} is not a version: give a number from 1, or latest")
    return Version(int(text))


@dataclass(frozen=True)
class Level:
    """A subject's compatibility level, and whether it is the subject's own or the global one."""

    name: str
    own: bool

    def __str__(self) -> str:
        return self.name if self.own else f"{self.name} (global)"


@dataclass(frozen=True)
class SubjectRow:
    subject: str
    version: int
    schema_id: int
    level: Level


COLUMNS = ("SUBJECT", "VERSION", "ID", "COMPATIBILITY")


def subject_table(rows: Sequence[SubjectRow]) -> list[str]:
    """`schemas list`: a header and a row a subject, in columns, sorted by subject."""
    cells = [list(COLUMNS)] + [
        [row.subject, str(row.version), str(row.schema_id), str(row.level)]
        for row in sorted(rows, key=lambda row: row.subject)
    ]
    widths = [max(len(line[column]) for line in cells) for column in range(len(COLUMNS))]
    return [
        "  ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True)).rstrip()
        for line in cells
    ]


def pretty(schema_text: str) -> str:
    """A schema as the registry stores it (compact JSON), indented for a reader."""
    return json.dumps(json.loads(schema_text), indent=2, ensure_ascii=False)


def shown_version(subject: str, version: int, schema_id: int) -> str:
    return f"{subject} version {version} (id {schema_id})"


# The parts of a registry's verbose answer that restate the question rather than
# say what is wrong: which version, its whole text, and the level. Confluent's
# registry and ours both write them this way.
_CONTEXT = ("{oldSchemaVersion:", "{oldSchema:", "{compatibility:")


def reason_line(messages: Sequence[str]) -> str:
    """The registry's reasons a schema is incompatible, on one line."""
    reasons = [m for m in messages if not m.lstrip().startswith(_CONTEXT)] or list(messages)
    line = "; ".join(" ".join(reason.split()) for reason in reasons)
    return line or "the registry gave no reason"


def compatible_line(file: str, checked: str, level: Level) -> str:
    return f"{file} is compatible with {checked} ({level.name}): the registry would accept it"


def incompatible_line(file: str, checked: str, level: Level, messages: Sequence[str]) -> str:
    return (
        f"{file} is not compatible with {checked} ({level.name}): "
        f"registering it would be refused (409): {reason_line(messages)}"
    )


def first_version_line(file: str, subject: str) -> str:
    return (
        f"{file}: nothing is registered under {subject} yet, "
        "so the registry would accept it as version 1"
    )


def diff_title(before: str, after: str) -> str:
    return f"{before} -> {after}"
