"""What a run is asked to do."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True)
class Options:
    # Exactly one of rate (open loop) and concurrency (closed loop).
    rate: float | None = None
    concurrency: int | None = None
    duration: float = 60.0
    items: list[str] = field(default_factory=lambda: ["item1"])
    users: int = 1000
    prepare: bool = True
    poll_interval: float = 0.2
    # Each order's client polls GET /order/status this often (seconds) until the order
    # is terminal, as the original's README has a client do; None: nobody polls.
    status_poll: float | None = None
    # How long to wait after the load for the last orders to reach a terminal status.
    drain: float = 60.0
    connections: int = 100
    timeout: float = 30.0

    def __post_init__(self) -> None:
        if (self.rate is None) == (self.concurrency is None):
            raise ValueError("give either a rate (open loop) or a concurrency (closed loop)")
        if self.users < 1:
            raise ValueError("at least one user is needed")
        if not self.items:
            raise ValueError("an order needs at least one item")
        if self.status_poll is not None and self.status_poll <= 0:
            raise ValueError("the status polling interval must be above 0 seconds")

    @property
    def mode(self) -> str:
        return "open" if self.rate is not None else "closed"

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)
