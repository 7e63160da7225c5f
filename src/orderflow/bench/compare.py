"""``orderflow bench --compare A B``: two reports side by side, with B / A."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

_QUANTILES = ("p50", "p95", "p99", "max")

Row = tuple[str, float | None, float | None]


def _figures(summary: dict[str, Any]) -> Iterator[tuple[str, float | None]]:
    for key in ("offered_per_s", "accepted_per_s", "completed_per_s"):
        yield key.replace("_per_s", " orders/s"), summary[key]
    for key in ("incomplete", "two_terminal"):
        yield key.replace("_", " "), summary[key]
    yield "errors", sum(summary["errors"].values())
    if summary.get("status_polls"):  # a run whose clients polled (--status-poll)
        yield "status polls per order", summary["status_polls"] / max(summary["accepted"], 1)
    latency = summary["latency_ms"]
    named = {"POST": latency["post"], "POST → terminal": latency["post_to_terminal"]}
    if latency.get("post_to_seen_terminal"):
        named["POST → terminal seen by polling"] = latency["post_to_seen_terminal"]
    named.update(latency["hops"])
    for name, found in named.items():
        for q in _QUANTILES:
            yield f"{name} {q} ms", found[q] if found else None
    for component, used in summary["resources"].items():
        yield f"{component} CPU s", used["cpu_s"]
        yield f"{component} CPU % under load", used.get("cpu_percent_under_load")
        yield f"{component} peak RSS MiB", used["peak_rss_mib"]


def rows(a: dict[str, Any], b: dict[str, Any]) -> list[Row]:
    """Every figure of either report, in ``a``'s order, then those only ``b`` has."""
    first, second = dict(_figures(a["summary"])), dict(_figures(b["summary"]))
    names = list(first) + [name for name in second if name not in first]
    return [(name, first.get(name), second.get(name)) for name in names]


def _cell(value: float | None) -> str:
    return "-" if value is None else f"{value:,.1f}"


def ratio(a: float | None, b: float | None) -> str:
    if a is None or b is None or a == 0:
        return "-"
    return f"{b / a:.2f}x"


def render(a_name: str, b_name: str, found: list[Row]) -> str:
    width = max(len(name) for name, _, _ in found)
    head = f"{'':<{width}}  {a_name:>14}  {b_name:>14}  {'B / A':>8}"
    lines = [f"A = {a_name}", f"B = {b_name}", "", head]
    lines += [
        f"{n:<{width}}  {_cell(x):>14}  {_cell(y):>14}  {ratio(x, y):>8}" for n, x, y in found
    ]
    return "\n".join(lines)
