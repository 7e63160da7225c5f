"""Registry modes: whether a subject takes writes, and whether ids are imported."""

from __future__ import annotations

from enum import StrEnum

from orderflow.registry.errors import invalid_mode


class Mode(StrEnum):
    READWRITE = "READWRITE"
    READONLY = "READONLY"
    # IMPORT lets a migration tool register schemas under ids and versions it
    # chooses (copying another registry); compatibility checks are skipped.
    IMPORT = "IMPORT"

    @classmethod
    def parse(cls, raw: object) -> Mode:
        if not isinstance(raw, str):
            raise invalid_mode(str(raw))
        try:
            return cls(raw.upper())
        except ValueError:
            raise invalid_mode(raw) from None


DEFAULT_MODE = Mode.READWRITE
