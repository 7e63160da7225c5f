"""How long the system took to recover from a fault, from the times orders completed.

Recovered means new orders complete again at the offered rate: from the
moment every part the fault hit is back, the time to the first completion, of
an order placed since, that opens a window of ``WINDOW_S`` holding at least
``SHARE`` of what the offered rate sends in it. A fault that never slowed the
flow recovers in about one order's time; after one that stalled it, new
orders wait behind the backlog, and the recovery counts that wait too.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence
from itertools import pairwise

WINDOW_S = 5.0
SHARE = 0.8
# The run fails if any fault takes longer than this to recover from.
BOUND_S = 30.0
# ... or if losing one broker of three, one Connect worker of two or one replica of
# a service stops orders from completing for longer than this.
GAP_BOUND_S = 15.0


def recovery_s(
    completions: Sequence[float],
    back_at: float,
    rate_per_s: float,
    until: float,
    window_s: float = WINDOW_S,
    share: float = SHARE,
) -> float | None:
    """Seconds from ``back_at`` to recovery, or None if no full window closes by ``until``.

    ``completions`` are the moments (sorted) at which the orders placed since
    ``back_at`` reached a terminal status; ``until`` is how far they are known.
    """
    needed = share * rate_per_s * window_s
    first = bisect_left(completions, back_at)
    for index in range(first, len(completions)):
        opened = completions[index]
        if opened + window_s > until:
            return None
        if bisect_left(completions, opened + window_s) - index >= needed:
            return opened - back_at
    return None


def longest_gap_s(completions: Sequence[float], start: float, end: float) -> float:
    """The longest stretch of ``[start, end]`` in which no order completed.

    ``completions`` are sorted; the stretch from ``start`` to the first completion in
    the span, and from the last to ``end``, count too.
    """
    inside = completions[bisect_left(completions, start) : bisect_left(completions, end)]
    edges = [start, *inside, end]
    return max((later - earlier for earlier, later in pairwise(edges)), default=0.0)
