"""`orderflow run | up | down | status | demo`: the order system itself.

Each command loads what it runs (the launcher, the demo's clients, the
registry's FastAPI app) in its body, not when the CLI is built.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Annotated

import typer

from orderflow.services import SERVICES, service_named
from orderflow.stack.cli import (
    AsJson,
    BrokersOption,
    ConnectWorkersOption,
    ScaleOption,
    asked_scale,
    launcher_for,
    show_status,
    start,
    stop,
)

if TYPE_CHECKING:
    from orderflow.settings import Settings


# The declared services' names, as the argument's choices.
Service = StrEnum("Service", {s.name: s.name for s in SERVICES})  # type: ignore[misc]


def run(
    ctx: typer.Context,
    service: Annotated[Service, typer.Argument(help="The service to run in this terminal.")],
) -> None:
    """Run one service in the foreground, in its own terminal, as in the original."""
    from orderflow.messaging.runtime import run_service

    run_service(service_named(service.value), ctx.obj)


def up(
    ctx: typer.Context,
    scale: ScaleOption = None,
    brokers: BrokersOption = None,
    connect_workers: ConnectWorkersOption = None,
) -> None:
    """Start the stack and the five services in the background (``--scale`` runs several
    processes of a service, ``--brokers`` a Kafka cluster)."""
    asked = asked_scale(scale, brokers, connect_workers)
    start(launcher_for(ctx), with_services=True, scale=asked)


def down(ctx: typer.Context) -> None:
    """Stop the services and the stack."""
    stop(launcher_for(ctx))


def status(ctx: typer.Context, as_json: AsJson = False) -> None:
    """Show every component and every instance of each service, and the connector."""
    launcher = launcher_for(ctx)
    show_status(launcher, launcher.components(), as_json=as_json)


def demo(ctx: typer.Context) -> None:
    """Place three orders (paid, out of stock, declined) and show their timelines."""
    from orderflow.demo import run_demo

    settings: Settings = ctx.obj
    raise typer.Exit(run_demo(settings))


def registry(ctx: typer.Context) -> None:
    """Run the Schema Registry alone, in the foreground (the stack starts it on 8081)."""
    from orderflow.registry.server import serve

    serve(ctx.obj)


def register(app: typer.Typer) -> None:
    for command in (run, up, down, status, demo, registry):
        app.command()(command)
