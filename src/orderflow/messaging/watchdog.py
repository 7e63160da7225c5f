"""A consumer that stays out of its group ends its process, for the supervisor to restart.

After Kafka was frozen for 18 s in a chaos run, one worker's consumer never
rejoined: librdkafka kept its requests to the group coordinator queued
("Timed out 0 in-flight, 0 retry-queued, 4 out-queue", once a minute) while
the process lived on, its group empty, its events waiting for nobody. A fresh
process joins within seconds. Ending the process is safe: every guarantee
holds under SIGKILL (the inbox absorbs a batch delivered again).

The consumer's own statistics say whether it is in its group: librdkafka's
``cgrp.join_state`` is ``steady`` once it has joined and taken its
assignment, and something else while it joins, syncs or waits for the
coordinator.
"""

from __future__ import annotations

import json
import logging
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field

log = logging.getLogger(__name__)

# Short enough that a stuck consumer is replaced, and its events flow, within
# 30 s of Kafka coming back (a 60 s limit after a 22 s freeze took 54 s). A
# consumer merely waiting out a long outage (Kafka restarting takes about 20 s,
# a freeze up to 30 s) may be ended too: that costs a restart of some 7 s and
# nothing else, where a stuck one costs every event of its service.
AWAY_LIMIT_S = 30.0
STATS_INTERVAL_MS = 5_000
# What a process ended by the watchdog exits with, for the supervisor's log.
EXIT_AWAY = 3


@dataclass
class JoinWatch:
    """How long the consumer has been out of ``steady``, judged from one reading to the next."""

    limit_s: float = AWAY_LIMIT_S
    _away_since: float | None = field(default=None, init=False)

    def seen(self, join_state: str, now: float) -> float | None:
        """The seconds away, once they reach the limit; None while in the group or not yet."""
        if join_state == "steady":
            self._away_since = None
            return None
        if self._away_since is None:
            self._away_since = now
        away_s = now - self._away_since
        return away_s if away_s >= self.limit_s else None


def join_state(stats: str) -> str | None:
    """The ``cgrp.join_state`` of one librdkafka statistics document, if it has one."""
    try:
        state = json.loads(stats)["cgrp"]["join_state"]
    except (ValueError, KeyError, TypeError):
        return None
    return state if isinstance(state, str) else None


def _end_process() -> None:
    logging.shutdown()
    os._exit(EXIT_AWAY)


def group_watchdog(
    group: str,
    limit_s: float = AWAY_LIMIT_S,
    clock: Callable[[], float] = time.monotonic,
    end: Callable[[], None] = _end_process,
) -> dict[str, object]:
    """Consumer settings that end the process once it has been out of ``group`` for ``limit_s``."""
    return {
        "statistics.interval.ms": STATS_INTERVAL_MS,
        "stats_cb": watchdog(group, limit_s, clock, end),
    }


def watchdog(
    group: str,
    limit_s: float = AWAY_LIMIT_S,
    clock: Callable[[], float] = time.monotonic,
    end: Callable[[], None] = _end_process,
) -> Callable[[str], None]:
    """The statistics callback that watches the consumer's place in ``group``."""
    watch = JoinWatch(limit_s)

    def on_stats(stats: str) -> None:
        state = join_state(stats)
        if state is None:
            return
        away_s = watch.seen(state, clock())
        if away_s is not None:
            log.error(
                "the consumer has been out of group %s for %.0f s (join state %s); "
                "ending the process for the supervisor to start a fresh one",
                group,
                away_s,
                state,
            )
            end()

    return on_stats
