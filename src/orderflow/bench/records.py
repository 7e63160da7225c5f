"""What the run observed of each order: its placement and its status history."""

from __future__ import annotations

from dataclasses import dataclass, field

# Times are seconds since the epoch (wall clock), so that they can be set
# against the timestamps the services write into Postgres on the same machine.


@dataclass(frozen=True)
class Placement:
    """One POST /order: when it was due, when it was answered, and how."""

    index: int
    scheduled_at: float
    answered_at: float
    http_status: int | None
    order_id: str | None
    error: str | None
    seen_terminal_at: float | None = None
    """When the order's client, polling its status, first read a terminal one."""
    status_polls: int = 0
    """How many GET /order/status that client sent."""

    @property
    def accepted(self) -> bool:
        return self.order_id is not None


@dataclass(frozen=True)
class Seen:
    """One status of an order: the event's own time and when the status table got it."""

    occurred_at: float
    recorded_at: float


@dataclass
class Followed:
    """An order's statuses as the follower found them, once it reached a terminal one."""

    order_id: str
    history: dict[str, Seen] = field(default_factory=dict)
    terminal: str | None = None
