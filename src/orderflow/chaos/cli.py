"""``orderflow chaos``: kill components under load, then check every guarantee.

The run's machinery (the launcher, the load, the Kafka and Postgres readers)
loads when a run starts, not when the CLI is built. The load is the
benchmark's open loop over aiohttp: chaos needs the ``bench`` extra too.
"""

from __future__ import annotations

import random
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console

from orderflow.failures import require_extra

if TYPE_CHECKING:
    from orderflow.settings import Settings

console = Console()


def chaos(
    ctx: typer.Context,
    orders: Annotated[int, typer.Option(min=1, help="Orders to place.")] = 10_000,
    rate: Annotated[float, typer.Option(min=0.1, help="Orders per second, steady.")] = 25.0,
    kills: Annotated[int, typer.Option(min=0, help="Components to SIGKILL, one at a time.")] = 60,
    seed: Annotated[int | None, typer.Option(help="Seed of the orders and faults.")] = None,
    max_pause: Annotated[
        float, typer.Option(min=0.0, help="Seconds a killed component stays down, at most.")
    ] = 5.0,
    drain: Annotated[
        float, typer.Option(min=0.0, help="Seconds to wait after the load for orders to end.")
    ] = 600.0,
    running: Annotated[
        bool,
        typer.Option(help="Kill parts of the running system (orderflow up) instead of its own."),
    ] = False,
) -> None:
    """Place orders at a steady rate while killing random components; check the guarantees.

    By default it starts a whole system of its own on free ports and stops it after.
    """
    require_extra("orderflow chaos", "bench", "aiohttp")
    from orderflow.chaos.report import checks_table, faults_table, summary_line
    from orderflow.chaos.run import Options, own_system, run_chaos, running_system

    settings: Settings = ctx.obj
    chosen_seed = random.randrange(2**31) if seed is None else seed
    options = Options(
        orders=orders,
        rate=rate,
        kills=kills,
        seed=chosen_seed,
        pause_s=(min(0.5, max_pause), max_pause),
        drain_s=drain,
    )
    console.print(f"Chaos run, seed {chosen_seed}")

    def progress(message: str) -> None:
        console.log(message)

    if running:
        outcome = run_chaos(running_system(settings), options, progress)
    else:
        with own_system(settings, progress) as launcher:
            outcome = run_chaos(launcher, options, progress)
    console.print(checks_table(outcome))
    console.print(faults_table(outcome.faults))
    console.print(summary_line(outcome))
    if not outcome.passed:
        raise typer.Exit(1)
