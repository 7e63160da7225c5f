"""``orderflow bench``: load the running system, or compare two reports.

A run's machinery (aiohttp, psycopg, the report) loads when a run starts, not
when the CLI is built. A run needs the ``bench`` extra (aiohttp, matplotlib);
comparing two reports needs none of it.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console

from orderflow.bench import compare as comparing
from orderflow.bench import output
from orderflow.bench.options import Options
from orderflow.failures import require_extra

if TYPE_CHECKING:
    from orderflow.settings import Settings

console = Console()


def _compare(a: Path, b: Path) -> None:
    rows = comparing.rows(output.read(a), output.read(b))
    console.print(comparing.render(str(a), str(b), rows), highlight=False, soft_wrap=True)


def _answers(url: str) -> bool:
    import httpx

    try:
        return httpx.get(f"{url}/openapi.json", timeout=5).status_code == 200
    except httpx.HTTPError:
        return False


def bench(
    ctx: typer.Context,
    rate: Annotated[
        float | None, typer.Option(help="Open loop: orders per second (400 if no --concurrency).")
    ] = None,
    concurrency: Annotated[
        int | None, typer.Option(help="Closed loop: this many callers, to find the maximum.")
    ] = None,
    duration: Annotated[float, typer.Option(help="Seconds of load.")] = 60.0,
    item: Annotated[list[str] | None, typer.Option(help="Item of each order (repeatable).")] = None,
    users: Annotated[int, typer.Option(help="Orders are spread over this many users.")] = 1000,
    prepare: Annotated[
        bool, typer.Option(help="First set stock and the users' balances high.")
    ] = True,
    drain: Annotated[
        float, typer.Option(help="Seconds to wait after the load for orders to finish.")
    ] = 60.0,
    poll_interval: Annotated[
        float, typer.Option(help="Seconds between two queries of the status table.")
    ] = 0.2,
    status_poll: Annotated[
        float | None,
        typer.Option(
            metavar="SECONDS",
            help="Each order's client polls GET /order/status right after its POST, then "
            "this often, until the order is terminal (as the original's README has it).",
        ),
    ] = None,
    connections: Annotated[int, typer.Option(help="HTTP connections at most.")] = 100,
    out: Annotated[
        Path | None, typer.Option(help="Report folder (default: bench/reports/<UTC time>).")
    ] = None,
    compare: Annotated[
        tuple[Path, Path] | None,
        typer.Option(help="Print reports A and B side by side with B / A, and run nothing."),
    ] = None,
) -> None:
    """Load the running system over HTTP and write a report: JSON, summary and plot."""
    if compare is not None:
        _compare(*compare)
        return
    require_extra("orderflow bench", "bench", "aiohttp", "matplotlib")
    from rich.markdown import Markdown

    from orderflow.bench import report
    from orderflow.bench.run import base_url, run_bench

    settings: Settings = ctx.obj
    try:
        options = Options(
            rate=400.0 if rate is None and concurrency is None else rate,
            concurrency=concurrency,
            duration=duration,
            items=item or ["item1"],
            users=users,
            prepare=prepare,
            poll_interval=poll_interval,
            status_poll=status_poll,
            drain=drain,
            connections=connections,
        )
    except ValueError as error:
        raise typer.BadParameter(str(error)) from None
    if not _answers(base_url(settings)):
        console.print(f"[red]error:[/] no OrderService answers at {base_url(settings)}; "
                      "start the system first (orderflow up)")  # fmt: skip
        raise typer.Exit(1)
    folder = out or output.default_folder(Path("bench/reports"), time.time())
    with console.status(f"Benchmark: {options.mode} loop for {duration:g} s, then drain"):
        found = report.build(run_bench(settings, options))
    output.write(found, folder)
    console.print(Markdown((folder / output.SUMMARY).read_text()))
    console.print(f"Report: {folder}")
