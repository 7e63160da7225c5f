"""The supervisor's decisions, as pure functions: when to restart, and what a loop is.

A process that dies soon after it started is likely to die again (a port
taken, a config it cannot read): each quick death doubles the wait before the
next start, up to a ceiling, so that a crash loop does not spin the CPU. A
process that ran for a while before it died starts the count afresh: a crash
at 3 a.m. after a day of work is restarted at once.
"""

from __future__ import annotations

import signal
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Backoff:
    first_s: float = 0.5
    ceiling_s: float = 30.0
    # Up at least this long before it died: not part of a loop.
    settled_after_s: float = 30.0


@dataclass(frozen=True)
class Restart:
    """One restart the supervisor made: when, how the process before it ended, and
    how long that one had been up."""

    at: float
    exit_code: int | None
    uptime_s: float


def quick_deaths(streak: int, uptime_s: float, policy: Backoff) -> int:
    """The count of quick deaths in a row, after a death ``uptime_s`` after its start."""
    return streak + 1 if uptime_s < policy.settled_after_s else 0


def restart_delay(streak: int, policy: Backoff) -> float:
    """Seconds to wait before the next start, after ``streak`` quick deaths in a row:
    the first wait for none or one, twice as long for each one more."""
    return float(min(policy.ceiling_s, policy.first_s * 2 ** max(streak - 1, 0)))


# Three restarts within two minutes: restarting in a loop, not recovering.
LOOP_RESTARTS = 3
LOOP_WINDOW_S = 120.0


def restarting_in_a_loop(restarts: Sequence[Restart], now: float) -> bool:
    recent = [r for r in restarts if now - r.at <= LOOP_WINDOW_S]
    return len(recent) >= LOOP_RESTARTS


def describe_exit(exit_code: int | None) -> str:
    """How a process ended, in words: ``exit code 1``, ``killed by SIGKILL``."""
    if exit_code is None:
        return "exit code unknown (not started by this supervisor)"
    if exit_code < 0:
        try:
            return f"killed by {signal.Signals(-exit_code).name}"
        except ValueError:
            return f"killed by signal {-exit_code}"
    return f"exit code {exit_code}"
