"""Enum values a client may spell in any case: compatibility levels and modes."""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from typing import TypeVar

from orderflow.registry.errors import RegistryError

E = TypeVar("E", bound=StrEnum)


def parse_choice(enum: type[E], raw: object, invalid: Callable[[str], RegistryError]) -> E:
    """The member of ``enum`` that ``raw`` names, in any case; ``invalid(raw)`` if none does."""
    if isinstance(raw, str):
        try:
            return enum(raw.upper())
        except ValueError:
            pass
    raise invalid(str(raw))
