"""What every emitted event needs from the outside world: a fresh id and the time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from orderflow.events.ids import EventId, time_ordered_id


@dataclass(frozen=True)
class Stamp:
    event_id: EventId
    occurred_at: datetime


def fresh_stamp() -> Stamp:
    now = datetime.now(UTC)
    # Avro carries milliseconds; cutting here keeps an event equal to its round trip.
    return Stamp(
        EventId(time_ordered_id()), now.replace(microsecond=now.microsecond // 1000 * 1000)
    )
