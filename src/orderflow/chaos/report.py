"""The chaos run's tables: the checks, then the faults injected per component."""

from __future__ import annotations

from collections import defaultdict
from statistics import mean

from rich.table import Table

from orderflow.chaos.faults import Fault
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


def faults_table(faults: list[Fault]) -> Table:
    by_component: dict[str, list[Fault]] = defaultdict(list)
    for fault in faults:
        by_component[fault.component].append(fault)
    table = Table(title="Faults injected (SIGKILL of the whole process tree)")
    for name in ("component", "kills", "restarted", "pause s (mean)", "restart s (mean / max)"):
        table.add_column(name, justify="left" if name == "component" else "right")
    for component, hits in sorted(by_component.items()):
        restarts = [f.restart_s for f in hits]
        table.add_row(
            component,
            str(len(hits)),
            str(sum(f.restarted for f in hits)),
            f"{mean(f.paused_s for f in hits):.1f}",
            f"{mean(restarts):.1f} / {max(restarts):.1f}",
        )
    table.add_row("all", str(len(faults)), str(sum(f.restarted for f in faults)), "", "")
    return table


def summary_line(outcome: Outcome) -> str:
    answered = sum(p.http_status == 201 for p in outcome.placements)
    return (
        f"{len(outcome.placements)} orders sent, load and faults over {outcome.load_s:.0f} s, "
        f"{answered} answered 201; "
        f"drained in {outcome.drain_s:.0f} s; "
        + ("every check passed" if outcome.passed else "GUARANTEES VIOLATED")
    )
