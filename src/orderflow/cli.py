"""The `orderflow` command: one entry point for every part of the system."""

from __future__ import annotations

import sys

import typer
from rich.console import Console

from orderflow.settings import SettingsError, load_settings
from orderflow.stack.cli import stack_app
from orderflow.stack.errors import StackError

app = typer.Typer(
    help="orderflow: event-driven order processing on Kafka, Connect and Postgres.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
app.add_typer(stack_app, name="stack")


@app.callback()
def load(ctx: typer.Context) -> None:
    """Build the one Settings object every command gets (ORDERFLOW_* variables)."""
    ctx.obj = load_settings()


def main() -> None:
    """Entry point: known failures become one clear line, never a traceback."""
    errors = Console(stderr=True)
    try:
        app()
    except (StackError, SettingsError) as error:
        errors.print(f"[red]error:[/] {error}")
        sys.exit(1)
