"""``latency.png``: latency, throughput and memory over the run."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import matplotlib

# No display on a server or in CI; Agg draws straight to a file.
matplotlib.use("Agg")
import matplotlib.pyplot as plt  # the backend is chosen before pyplot loads

from orderflow.bench.resources import MACHINE

_MIB = 2**20


def _values(series: list[float | None]) -> list[float]:
    return [math.nan if value is None else value for value in series]


def draw(report: dict[str, Any], path: Path) -> None:
    series = report["series"]
    seconds = list(range(len(series["accepted_per_s"])))
    figure, (latency, throughput, memory) = plt.subplots(3, 1, figsize=(10, 10), sharex=True)

    latency.plot(seconds, _values(series["p50_ms"]), label="p50")
    latency.plot(seconds, _values(series["p99_ms"]), label="p99")
    latency.set_ylabel("POST → terminal (ms)")
    latency.set_title("Latency of the orders due in each second")
    latency.legend()

    throughput.plot(seconds, series["accepted_per_s"], label="accepted")
    throughput.plot(seconds, series["completed_per_s"], label="completed")
    throughput.set_ylabel("orders/s")
    throughput.legend()

    started = report["started_at"]
    for name in report["summary"]["resources"]:
        if name in (MACHINE, "others"):
            continue  # the machine's memory in use would flatten every process's line
        points = [(s["at"] - started, s["usage"][name]["rss_bytes"] / _MIB)
                  for s in report["resources"] if name in s["usage"]]  # fmt: skip
        memory.plot([t for t, _ in points], [m for _, m in points], label=name)
    memory.set_ylabel("RSS (MiB)")
    memory.set_xlabel("seconds since the start")
    memory.legend(fontsize="small", ncol=3)

    figure.tight_layout()
    figure.savefig(path, dpi=100)
    plt.close(figure)
