"""Registry modes: whether a subject takes writes, and whether ids are imported."""

from __future__ import annotations

from enum import StrEnum

from orderflow.registry.choices import parse_choice
from orderflow.registry.errors import invalid_mode


class Mode(StrEnum):
    READWRITE = "READWRITE"
    READONLY = "READONLY"
    # IMPORT lets a migration tool register schemas under ids and versions it
    # chooses (copying another registry); compatibility checks are skipped.
    IMPORT = "IMPORT"

    @classmethod
    def parse(cls, raw: object) -> Mode:
        return parse_choice(cls, raw, invalid_mode)


DEFAULT_MODE = Mode.READWRITE
