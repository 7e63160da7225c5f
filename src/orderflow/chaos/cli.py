"""``orderflow chaos``: kill and freeze components under load, then check every guarantee.

The run's machinery (the launcher, the load, the Kafka and Postgres readers)
loads when a run starts, not when the CLI is built. The load is the
benchmark's open loop over aiohttp: chaos needs the ``bench`` extra too.
"""

from __future__ import annotations

import random
from dataclasses import replace
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console

from orderflow.failures import require_extra
from orderflow.stack.cli import BrokersOption, ConnectWorkersOption, ScaleOption, asked_scale

if TYPE_CHECKING:
    from orderflow.settings import Settings
    from orderflow.stack.components import Component
    from orderflow.stack.scale import Scale

console = Console()


def _targets(names: str | None, scale: Scale) -> tuple[Component, ...] | None:
    """The parts ``--targets`` names, on a system of ``scale``; None for every part."""
    from orderflow.stack.components import component_named

    if names is None:
        return None
    chosen = [name.strip() for name in names.split(",") if name.strip()]
    if not chosen:
        raise typer.BadParameter("name at least one part", param_hint="--targets")
    try:
        return tuple(component_named(name, scale) for name in chosen)
    except ValueError as problem:
        raise typer.BadParameter(str(problem), param_hint="--targets") from None


def chaos(
    ctx: typer.Context,
    orders: Annotated[
        int,
        typer.Option(
            min=1,
            help="Orders to place at least; the load goes on until the last fault recovered.",
        ),
    ] = 10_000,
    rate: Annotated[float, typer.Option(min=0.1, help="Orders per second, steady.")] = 25.0,
    kills: Annotated[
        int, typer.Option(min=0, help="Faults to inject, one after another, of the kinds chosen.")
    ] = 60,
    faults: Annotated[
        str,
        typer.Option(help="Kinds of fault, comma-separated: kill, freeze, overlap, all-down."),
    ] = "kill,freeze,overlap,all-down",
    seed: Annotated[int | None, typer.Option(help="Seed of the orders and faults.")] = None,
    max_freeze: Annotated[
        float, typer.Option(min=1.0, help="Seconds a frozen component stays stopped, at most.")
    ] = 30.0,
    recovery_bound: Annotated[
        float,
        typer.Option(min=1.0, help="Seconds within which orders must flow again after a fault."),
    ] = 30.0,
    drain: Annotated[
        float, typer.Option(min=0.0, help="Seconds to wait after the load for orders to end.")
    ] = 600.0,
    running: Annotated[
        bool,
        typer.Option(help="Fault the running system (orderflow up) instead of one of its own."),
    ] = False,
    targets: Annotated[
        str | None,
        typer.Option(
            help="Fault only these parts, comma-separated, as `orderflow status` names them "
            "(kafka-2,connect,inventory-2). Without it, every part but the dashboard."
        ),
    ] = None,
    scale: ScaleOption = None,
    brokers: BrokersOption = None,
    connect_workers: ConnectWorkersOption = None,
) -> None:
    """Kill and freeze components under a steady load; check every guarantee and recovery.

    By default it starts a whole system of its own on free ports and stops it after.
    """
    require_extra("orderflow chaos", "bench", "aiohttp")
    from orderflow.chaos.faults import parse_kinds
    from orderflow.chaos.report import checks_table, components_table, kinds_table, summary_line
    from orderflow.chaos.run import Options, own_system, run_chaos, running_system

    try:
        kinds = parse_kinds(faults)
    except ValueError as error:
        raise typer.BadParameter(str(error), param_hint="--faults") from None
    settings: Settings = ctx.obj
    instances = asked_scale(scale, brokers, connect_workers)
    if running and instances is not None:
        raise typer.BadParameter("the running system has its scale: orderflow up --scale")
    chosen_seed = random.randrange(2**31) if seed is None else seed
    options = Options(
        orders=orders,
        rate=rate,
        faults=kills,
        seed=chosen_seed,
        kinds=kinds,
        freeze_s=(min(1.0, max_freeze), max_freeze),
        recovery_bound_s=recovery_bound,
        drain_s=drain,
    )
    console.print(f"Chaos run, seed {chosen_seed}")

    def progress(message: str) -> None:
        console.log(message)

    if running:
        launcher = running_system(settings)
        aimed = _targets(targets, launcher.scale)
        outcome = run_chaos(launcher, replace(options, targets=aimed), progress)
    else:
        aimed = _targets(targets, instances or {})
        with own_system(settings, progress, instances) as launcher:
            outcome = run_chaos(launcher, replace(options, targets=aimed), progress)
    console.print(checks_table(outcome))
    console.print(kinds_table(outcome.faults, outcome.recovery_bound_s))
    console.print(components_table(outcome.faults))
    console.print(summary_line(outcome))
    if not outcome.passed:
        raise typer.Exit(1)
