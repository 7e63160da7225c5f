"""The last minutes of completed orders per second and of their POST → terminal time,
from Prometheus's range queries: what the page's charts start from before the live
snapshots add a point each."""

from __future__ import annotations

import asyncio
from typing import Any

from orderflow.dashboard.prometheus import Prometheus, Series
from orderflow.dashboard.queries import QUERIES
from orderflow.dashboard.snapshot import Measure

STEP_S = 5
"""Our processes' scrape interval: a finer step would only repeat points."""
MAX_MINUTES = 60


def _points(found: list[Series], scale: float) -> list[list[float]]:
    # One series: each query sums over every label.
    return [[t, round(v * scale, 3)] for series in found for t, v in series.points]


async def history(prometheus: Prometheus, minutes: int, end_s: float) -> dict[str, Any]:
    """Raises PrometheusUnavailable when any of the three queries fails: a chart with one
    of its lines missing would read as that line being zero."""
    start_s = end_s - minutes * 60
    completed, p50, p99 = await asyncio.gather(
        *(
            prometheus.query_range(QUERIES[measure][0], start_s, end_s, STEP_S)
            for measure in (Measure.COMPLETED_RATE, Measure.ORDER_P50_S, Measure.ORDER_P99_S)
        )
    )
    return {
        "stepSeconds": STEP_S,
        "completedPerSecond": _points(completed, 1),
        "p50Ms": _points(p50, 1000),
        "p99Ms": _points(p99, 1000),
    }
