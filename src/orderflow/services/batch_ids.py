"""Order ids a batch store may look up: those Postgres can read as a uuid."""

from __future__ import annotations

import uuid
from collections.abc import Iterable


def uuid_ids(ids: Iterable[str]) -> list[str]:
    """The valid uuids among ``ids``, sorted (rows are locked in this order: no deadlocks)."""
    valid = set()
    for text in ids:
        try:
            uuid.UUID(text)
        except ValueError:
            continue
        valid.add(text)
    return sorted(valid)
