"""time_ordered_id: a UUIDv7 whose order follows the time it was made."""

from __future__ import annotations

import time
import uuid

from orderflow.events.ids import time_ordered_id

A_MOMENT_MS = 1_790_000_000_123


def test_it_is_a_version_7_rfc_9562_uuid() -> None:
    made = uuid.UUID(time_ordered_id())
    assert made.version == 7
    assert made.variant == uuid.RFC_4122


def test_its_first_48_bits_are_the_unix_time_in_milliseconds() -> None:
    assert uuid.UUID(time_ordered_id(A_MOMENT_MS)).int >> 80 == A_MOMENT_MS
    before = time.time_ns() // 1_000_000
    now = uuid.UUID(time_ordered_id()).int >> 80
    assert before <= now <= time.time_ns() // 1_000_000


def test_ids_of_later_milliseconds_sort_after_earlier_ones_as_text() -> None:
    made = [time_ordered_id(A_MOMENT_MS + step) for step in (0, 1, 2, 1000, 86_400_000)]
    assert made == sorted(made)


def test_ids_of_the_same_millisecond_still_differ() -> None:
    made = {time_ordered_id(A_MOMENT_MS) for _ in range(10_000)}
    assert len(made) == 10_000
