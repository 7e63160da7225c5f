"""When each request of an open-loop run is due."""

from __future__ import annotations


def open_loop_offsets(rate_per_s: float, duration_s: float) -> list[float]:
    """Send times in seconds from the start, evenly spaced at ``rate_per_s``.

    Fixed in advance, not derived from when the previous answer came back: a
    slow answer must not delay the next request, or the run would measure a
    politer load than the one it claims (coordinated omission). Latencies are
    counted from these times.
    """
    if rate_per_s <= 0:
        raise ValueError("the rate must be positive")
    if duration_s <= 0:
        raise ValueError("the duration must be positive")
    count = round(rate_per_s * duration_s)
    return [index / rate_per_s for index in range(count)]
