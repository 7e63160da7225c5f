"""Deterministic stamps for domain tests."""

from __future__ import annotations

from datetime import UTC, datetime

from orderflow.events.ids import EventId
from orderflow.events.stamp import Stamp

AT = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)


def stamp(n: int = 1) -> Stamp:
    return Stamp(EventId(f"00000000-0000-4000-8000-{n:012d}"), AT)
