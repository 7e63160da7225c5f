"""Wall-clock times from the monotonic clock.

Waiting uses the event loop's monotonic clock (immune to clock adjustments);
reports need wall-clock times to set against Postgres timestamps. One offset
taken at start converts the first into the second.
"""

from __future__ import annotations

import time


class Clock:
    def __init__(self) -> None:
        self._offset = time.time() - time.monotonic()

    def wall(self, monotonic_s: float) -> float:
        return monotonic_s + self._offset

    def now(self) -> float:
        return self.wall(time.monotonic())
