"""``summary.md``: a report rendered for people."""

from __future__ import annotations

from typing import Any

_QUANTILES = ("p50", "p95", "p99", "max")


def _ms(value: float) -> str:
    return f"{value:.0f}" if value >= 100 else f"{value:.1f}"


def _latency_rows(latency: dict[str, Any]) -> list[str]:
    rows = ["| latency (ms) | count | p50 | p95 | p99 | max |", "|---|---|---|---|---|---|"]
    named = {"POST /order (from due time)": latency["post"]}
    named["POST → terminal status (from due time)"] = latency["post_to_terminal"]
    if latency.get("post_to_seen_terminal"):
        named["POST → terminal seen by the client's polling"] = latency["post_to_seen_terminal"]
    named.update(latency["hops"])
    for name, found in named.items():
        cells = [str(found["count"]), *(_ms(found[q]) for q in _QUANTILES)] if found else ["0"]
        rows.append(f"| {name} | {' | '.join(cells)} |")
    return rows


def _resource_rows(resources: dict[str, dict[str, float]]) -> list[str]:
    rows = [
        "| component | CPU s | % of a core, run / under load | peak RSS MiB "
        "| RSS first / last MiB |",
        "|---|---|---|---|---|",
    ]
    for name, used in resources.items():
        if name == "others":
            rows.append(
                f"| others (the machine less all the above) | {used['cpu_s']:.1f} "
                f"| {used['cpu_percent']:.0f} / {used['cpu_percent_under_load']:.0f} | | |"
            )
            continue
        rows.append(
            f"| {name} | {used['cpu_s']:.1f} "
            f"| {used['cpu_percent']:.0f} / {used['cpu_percent_under_load']:.0f} "
            f"| {used['peak_rss_mib']:.0f} "
            f"| {used['rss_first_mib']:.0f} / {used['rss_last_mib']:.0f} |"
        )
    return rows


def _load(report: dict[str, Any]) -> str:
    options = report["options"]
    if report["mode"] == "open":
        return f"open loop at {options['rate']:g} orders/s for {options['duration']:g} s"
    return f"closed loop, {options['concurrency']} callers for {options['duration']:g} s"


def render(report: dict[str, Any]) -> str:
    summary, machine = report["summary"], report["machine"]
    errors = summary["errors"]
    terminal = ", ".join(f"{k} {v}" for k, v in sorted(summary["terminal_statuses"].items()))
    lines = [
        f"# orderflow bench: {_load(report)}",
        "",
        f"Machine: {machine['cores']} cores ({machine['cpu_model']}), "
        f"{machine['memory_gib']} GiB, {machine['platform']}, Python {machine['python']}. "
        "Everything (system and load generator) on it.",
        "",
        "| orders | count | per second |",
        "|---|---|---|",
        f"| offered | {summary['placed']} | {summary['offered_per_s']:.1f} |",
        f"| accepted (201) | {summary['accepted']} | {summary['accepted_per_s']:.1f} |",
        f"| completed (terminal status) | {summary['completed']} "
        f"| {summary['completed_per_s']:.1f} |",
        "",
        f"Not completed: {summary['incomplete']}. In two terminal states: "
        f"{summary['two_terminal']}. Drained {summary['drain_s']:.1f} s after the load stopped. "
        f"Terminal statuses: {terminal or 'none'}.",
        "",
        "Errors: "
        + (", ".join(f"{kind}: {n}" for kind, n in sorted(errors.items())) or "none")
        + ".",
        "",
        *_latency_rows(summary["latency_ms"]),
        "",
        *_resource_rows(summary["resources"]),
        "",
    ]
    return "\n".join(lines)
