"""The `orderflow` command: one entry point for every part of the system.

Building the CLI loads only the commands' signatures: each command loads its
machinery (clients, FastAPI, the launcher) when it runs, so that `--help` and
every command start in a fraction of a second. tests/unit/test_cli_imports.py
keeps it so.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, NoReturn

import typer
from rich.console import Console
from rich.markup import escape
from typer._click.exceptions import NoArgsIsHelpError, UsageError  # typer exports neither

from orderflow import system_cli
from orderflow.bench.cli import bench
from orderflow.chaos.cli import chaos
from orderflow.dashboard.cli import dashboard
from orderflow.failures import explain
from orderflow.services.inventory.admin import inventory_app
from orderflow.services.payment.admin import payment_app
from orderflow.stack import artifacts
from orderflow.stack.cli import stack_app
from orderflow.stack.java import find_java
from orderflow.tools.asyncapi import asyncapi
from orderflow.tools.consume import consume
from orderflow.tools.dead_letters import dead_letters_app
from orderflow.tools.lag import lag
from orderflow.tools.produce import produce
from orderflow.tools.schemas import schemas_app
from orderflow.tools.topics import topics_app

if TYPE_CHECKING:
    from orderflow.settings import Settings

app = typer.Typer(
    help="orderflow: event-driven order processing on Kafka, Connect and Postgres.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    # Help as click writes it, for every command below: typer's rich panels print each
    # option's type, a flag's too (`--help <bool>`), and share a table's columns so that
    # a long option name is cut (`--replication-fa…`). click writes a flag alone, a value
    # option with its type (`--lines <int range>`), and an option's name whole.
    rich_markup_mode=None,
    # click wraps help at the terminal's width (COLUMNS, else 80 when there is no
    # terminal) but no wider than max_content_width, 80 when unset; subcommands inherit it.
    context_settings={"max_content_width": sys.maxsize},
)
app.add_typer(stack_app, name="stack")
app.add_typer(topics_app, name="topics")
app.add_typer(inventory_app, name="inventory")
app.add_typer(payment_app, name="payment")
app.add_typer(dead_letters_app, name="dead-letters")
app.add_typer(schemas_app, name="schemas")
app.command()(produce)
app.command()(consume)
app.command()(lag)
app.command()(bench)
app.command()(chaos)
app.command()(asyncapi)
app.command()(dashboard)
system_cli.register(app)


@app.command()
def setup(ctx: typer.Context) -> None:
    """Check Java and resolve the pinned JVM artifacts into the cache (once)."""
    settings: Settings = ctx.obj
    java = find_java(settings.java)
    with Console().status("Resolving the JVM artifacts with Maven (first run only)"):
        jars = artifacts.resolve(settings.cache_dir)
    Console().print(f"java: {java}; JVM artifacts: {jars.kafka_jars.parent}")


@app.callback()
def load(ctx: typer.Context) -> None:
    """Build the one Settings object every command gets (ORDERFLOW_* variables), with
    every broker of the local cluster in its bootstrap list."""
    from orderflow.settings import load_settings
    from orderflow.stack.cluster import with_local_cluster

    ctx.obj = with_local_cluster(load_settings())


def main() -> None:
    """Entry point: known failures become one clear line, never a traceback."""
    try:
        # Not standalone, so that click's usage errors reach explain() too.
        code = app(standalone_mode=False)
    except NoArgsIsHelpError as error:
        # A group run without a command: click's error carries the group's help. Printed
        # where --help prints it, it leaves one line saying what is missing.
        typer.echo(error.format_message())
        fail(UsageError("missing command", error.ctx))
    except Exception as error:
        fail(error)
    sys.exit(code if isinstance(code, int) else 0)


def fail(error: Exception) -> NoReturn:
    """Print a known failure as one line and exit with its code; raise any other."""
    failure = explain(error)
    if failure is None:
        raise error
    errors = Console(stderr=True, soft_wrap=True)  # one line, even in a narrow terminal or a log
    errors.print(f"[red]error:[/] {escape(failure.message)}")
    sys.exit(failure.exit_code)
