"""Waiting on a condition with a deadline, never on a fixed sleep."""

from __future__ import annotations

import time
from collections.abc import Callable


def wait_until(
    condition: Callable[[], bool],
    timeout_s: float,
    interval_s: float = 0.1,
    gave_up: Callable[[], bool] = lambda: False,
) -> bool:
    """True once ``condition`` holds; False at the deadline or once ``gave_up`` holds."""
    deadline = time.monotonic() + timeout_s
    while True:
        if condition():
            return True
        if gave_up() or time.monotonic() >= deadline:
            return False
        time.sleep(interval_s)
