"""The report of a run as plain data: raw figures, the summary and the time series.

Pure: built from what the run recorded, written by ``output.py``, drawn by
``plot.py``, rendered by ``summary.py``.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import asdict, dataclass
from typing import Any

from orderflow.bench.hops import HOPS
from orderflow.bench.percentiles import distribution, percentile
from orderflow.bench.records import Followed, Placement
from orderflow.bench.resources import MACHINE, Sample

REPORT_VERSION = 1
_MIB = 2**20


@dataclass(frozen=True)
class Run:
    """Everything a run recorded."""

    mode: str
    options: dict[str, Any]
    machine: dict[str, object]
    started_at: float
    duration_s: float
    placements: list[Placement]
    finished: dict[str, Followed]
    samples: list[Sample]
    two_terminal: int


def build(run: Run) -> dict[str, Any]:
    return {
        "version": REPORT_VERSION,
        "mode": run.mode,
        "options": run.options,
        "machine": run.machine,
        "started_at": run.started_at,
        "summary": _summary(run),
        "series": _series(run),
        "orders": [_order_row(p, run.finished.get(p.order_id or "")) for p in run.placements],
        "resources": [
            {"at": s.at, "usage": {k: v._asdict() for k, v in s.usage.items()}} for s in run.samples
        ],
    }


def _completed(run: Run) -> list[tuple[Placement, Followed]]:
    pairs = []
    for placement in run.placements:
        followed = run.finished.get(placement.order_id or "")
        if followed is not None and followed.terminal is not None:
            pairs.append((placement, followed))
    return pairs


def _terminal_at(followed: Followed) -> float:
    assert followed.terminal is not None
    return followed.history[followed.terminal].recorded_at


def _summary(run: Run) -> dict[str, Any]:
    accepted = [p for p in run.placements if p.accepted]
    completed = _completed(run)
    window_end = run.started_at + run.duration_s
    last_done = max((_terminal_at(f) for _, f in completed), default=window_end)
    hops = {}
    for hop in HOPS:
        taken = [hop.took(p, f) for p, f in completed]
        found = distribution(1000 * t for t in taken if t is not None)
        hops[hop.name] = found.as_dict() if found else None
    post = distribution(1000 * (p.answered_at - p.scheduled_at) for p in accepted)
    to_terminal = distribution(1000 * (_terminal_at(f) - p.scheduled_at) for p, f in completed)
    to_seen = distribution(
        1000 * (at - p.scheduled_at) for p in accepted if (at := p.seen_terminal_at) is not None
    )
    return {
        "duration_s": run.duration_s,
        "placed": len(run.placements),
        "accepted": len(accepted),
        "completed": len(completed),
        "incomplete": len(accepted) - len(completed),
        "two_terminal": run.two_terminal,
        "offered_per_s": len(run.placements) / run.duration_s,
        "accepted_per_s": len(accepted) / run.duration_s,
        # Over the whole time from the first due request to the last terminal status,
        # so a backlog the system drains after the load stops does not flatter it.
        "completed_per_s": len(completed) / max(last_done - run.started_at, run.duration_s),
        "drain_s": max(last_done - window_end, 0.0),
        "terminal_statuses": dict(Counter(f.terminal for _, f in completed)),
        "errors": dict(Counter(p.error for p in run.placements if p.error)),
        "status_polls": sum(p.status_polls for p in run.placements),
        "latency_ms": {
            "post": post.as_dict() if post else None,
            "post_to_terminal": to_terminal.as_dict() if to_terminal else None,
            # Only when the clients polled their orders' status (--status-poll).
            "post_to_seen_terminal": to_seen.as_dict() if to_seen else None,
            "hops": hops,
        },
        "resources": _resources(run.samples, run.started_at, window_end),
    }


def _cpu_s(samples: list[Sample], name: str) -> float:
    seen = [s.usage[name] for s in samples if name in s.usage]
    return seen[-1].cpu_s - seen[0].cpu_s if len(seen) > 1 else 0.0


def _resources(samples: list[Sample], start: float, end: float) -> dict[str, dict[str, float]]:
    if len(samples) < 2:
        return {}
    span = samples[-1].at - samples[0].at
    # The whole run includes the drain, when the system may idle or catch up; the
    # share of a core under load is what shows which component is CPU-bound.
    loaded = [s for s in samples if start <= s.at <= end]
    loaded_span = loaded[-1].at - loaded[0].at if len(loaded) > 1 else 0.0
    # RSS early vs late in the run shows growth; a minute each, less on a short run.
    window = min(60.0, span / 4)
    early = [s for s in samples if s.at <= samples[0].at + window]
    late = [s for s in samples if s.at >= samples[-1].at - window]
    found = {}
    for name in samples[0].usage:
        seen = [s.usage[name] for s in samples if name in s.usage]
        cpu_s = _cpu_s(samples, name)
        found[name] = {
            "cpu_s": cpu_s,
            "cpu_percent": 100 * cpu_s / span if span > 0 else 0.0,
            "cpu_percent_under_load": (
                100 * _cpu_s(loaded, name) / loaded_span if loaded_span > 0 else 0.0
            ),
            "peak_rss_mib": max(u.rss_bytes for u in seen) / _MIB,
            "rss_first_mib": _mean_rss(early, name),
            "rss_last_mib": _mean_rss(late, name),
        }
    if MACHINE in found:
        ours = [used for name, used in found.items() if name != MACHINE]
        machine = found[MACHINE]
        found["others"] = {
            "cpu_s": machine["cpu_s"] - sum(u["cpu_s"] for u in ours),
            "cpu_percent": machine["cpu_percent"] - sum(u["cpu_percent"] for u in ours),
            "cpu_percent_under_load": machine["cpu_percent_under_load"]
            - sum(u["cpu_percent_under_load"] for u in ours),
            "peak_rss_mib": 0.0,
            "rss_first_mib": 0.0,
            "rss_last_mib": 0.0,
        }
    return found


def _mean_rss(samples: list[Sample], name: str) -> float:
    values = [s.usage[name].rss_bytes for s in samples if name in s.usage]
    return sum(values) / len(values) / _MIB if values else 0.0


def _series(run: Run) -> dict[str, list[float | None]]:
    """Per second since the start: throughput, and latency of the orders due in it."""
    completed = _completed(run)
    ends = [_terminal_at(f) for _, f in completed] + [p.answered_at for p in run.placements]
    seconds = max(math.ceil(max(ends, default=run.started_at) - run.started_at), 1)

    def second(at: float) -> int:
        return min(max(int(at - run.started_at), 0), seconds - 1)

    accepted = Counter(second(p.answered_at) for p in run.placements if p.accepted)
    done = Counter(second(_terminal_at(f)) for _, f in completed)
    latencies: list[list[float]] = [[] for _ in range(seconds)]
    for placement, followed in completed:
        latency = 1000 * (_terminal_at(followed) - placement.scheduled_at)
        latencies[second(placement.scheduled_at)].append(latency)
    return {
        "accepted_per_s": [float(accepted[n]) for n in range(seconds)],
        "completed_per_s": [float(done[n]) for n in range(seconds)],
        # None for a second in which no completed order was due (JSON has no NaN).
        "p50_ms": [percentile(sorted(v), 50) if v else None for v in latencies],
        "p99_ms": [percentile(sorted(v), 99) if v else None for v in latencies],
    }


def _order_row(placement: Placement, followed: Followed | None) -> dict[str, Any]:
    row: dict[str, Any] = asdict(placement)
    row["terminal"] = followed.terminal if followed else None
    row["history"] = (
        {status: [seen.occurred_at, seen.recorded_at] for status, seen in followed.history.items()}
        if followed
        else {}
    )
    return row
