"""The chaos run's tables: the checks, the faults by kind and by component, the last line."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from statistics import median

from rich.table import Table

from orderflow.chaos.faults import Fault, How, Kind
from orderflow.chaos.run import Outcome


def checks_table(outcome: Outcome) -> Table:
    table = Table(title="Checks")
    table.add_column("check")
    table.add_column("result")
    table.add_column("detail")
    for check in outcome.checks:
        verdict = "[green]pass[/]" if check.passed else f"[red]FAIL ({check.violations})[/]"
        table.add_row(check.name, verdict, check.detail)
    return table


def _spread(values: Sequence[float | None]) -> str:
    """``median / max`` in seconds; a value that never came counts as the worst."""
    known = [v for v in values if v is not None]
    if not known:
        return "-"
    missing = len(values) - len(known)
    shown = f"{median(known):.1f} / {max(known):.1f}"
    return f"{shown} ({missing} never)" if missing else shown


def kinds_table(faults: list[Fault], bound_s: float) -> Table:
    """Per kind of fault: how many, how long until every part was back, how long
    until orders flowed at the offered rate again, and the longest stretch in
    between with no order completed (the gap)."""
    by_kind: dict[Kind, list[Fault]] = defaultdict(list)
    for fault in faults:
        by_kind[fault.planned.kind].append(fault)
    table = Table(title=f"Faults by kind (recovery bound {bound_s:g} s)")
    columns = ("kind", "faults", "back s (median / max)", "recovery s (median / max)",
               "gap s (median / max)")  # fmt: skip
    for name in columns:
        table.add_column(name, justify="left" if name == "kind" else "right")
    for kind in Kind:
        hits = by_kind.get(kind, [])
        if hits:
            table.add_row(
                kind.value,
                str(len(hits)),
                _spread([f.back_s for f in hits]),
                _spread([f.recovery_s if f.back_at else None for f in hits]),
                _spread([f.gap_s for f in hits]),
            )
    table.add_row("all", str(len(faults)), _spread([f.back_s for f in faults]),
                  _spread([f.recovery_s for f in faults]),
                  _spread([f.gap_s for f in faults]))  # fmt: skip
    return table


def components_table(faults: list[Fault]) -> Table:
    """Per component: how often it was killed and frozen; all-down faults are counted apart."""
    kills: dict[str, int] = defaultdict(int)
    freezes: dict[str, int] = defaultdict(int)
    recoveries: dict[str, list[float | None]] = defaultdict(list)
    gaps: dict[str, list[float | None]] = defaultdict(list)
    everything_down = sum(f.planned.kind is Kind.ALL_DOWN for f in faults)
    for fault in faults:
        for hit in fault.planned.hits:
            counts = kills if hit.how is How.KILL else freezes
            counts[hit.component] += 1
            recoveries[hit.component].append(fault.recovery_s)
            gaps[hit.component].append(fault.gap_s)
    table = Table(title=f"Faults by component (besides {everything_down} all-down)")
    for name in ("component", "kills", "freezes", "recovery s (median / max)",
                 "gap s (median / max)"):  # fmt: skip
        table.add_column(name, justify="left" if name == "component" else "right")
    for component in sorted(set(kills) | set(freezes)):
        table.add_row(component, str(kills[component]), str(freezes[component]),
                      _spread(recoveries[component]), _spread(gaps[component]))  # fmt: skip
    return table


def summary_line(outcome: Outcome) -> str:
    answered = sum(p.http_status == 201 for p in outcome.placements)
    return (
        f"{outcome.orders_sent} orders sent, load and {len(outcome.faults)} faults over "
        f"{outcome.load_s:.0f} s, {answered} answered 201; "
        f"drained in {outcome.drain_s:.0f} s; "
        + ("every check passed" if outcome.passed else "GUARANTEES VIOLATED")
    )
