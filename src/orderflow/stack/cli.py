"""`orderflow stack …`: the launcher's commands.

The launcher and the components load inside each command: they bring the
Kafka, Postgres and HTTP clients, which building the CLI (`orderflow --help`)
does not need.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.table import Table
from typer.core import TyperArgument, TyperCommand

if TYPE_CHECKING:
    from orderflow.stack.components import Component
    from orderflow.stack.launcher import ComponentStatus, Launcher

stack_app = typer.Typer(help="Start, inspect and stop the local stack.", no_args_is_help=True)
console = Console()


def start(launcher: Launcher, *, with_services: bool) -> None:
    """Bring the parts up under a supervisor, with a spinner; Ctrl-C stops what was started."""
    from orderflow.stack.components import EVERYTHING, STACK

    started = time.monotonic()
    with console.status("Starting") as spinner:
        launcher.progress = lambda message: spinner.update(message)
        try:
            launcher.up_supervised(with_services=with_services)
        except KeyboardInterrupt:
            spinner.update("Interrupted: stopping what was started")
            launcher.down()
            raise typer.Exit(130) from None
    console.print(f"Up in {time.monotonic() - started:.1f} s")
    print_status(launcher, EVERYTHING if with_services else STACK)


def stop(launcher: Launcher) -> None:
    with console.status("Stopping") as spinner:
        launcher.progress = lambda message: spinner.update(message)
        stopped = launcher.down()
    console.print(f"Stopped: {', '.join(stopped) if stopped else 'nothing was running'}")


def launcher_for(ctx: typer.Context) -> Launcher:
    """The launcher of the command's settings, loaded only by a command that runs."""
    from orderflow.stack.launcher import Launcher

    return Launcher(ctx.obj)


@stack_app.command()
def up(ctx: typer.Context) -> None:
    """Start Postgres, Kafka, Kafka Connect (with the outbox connector) and the registry."""
    start(launcher_for(ctx), with_services=False)


@stack_app.command()
def down(ctx: typer.Context) -> None:
    """Stop everything the launcher started (found by pid file), services included."""
    stop(launcher_for(ctx))


@stack_app.command()
def attach(ctx: typer.Context) -> None:
    """For a stack run elsewhere (docker-compose.yml): migrate and register the connector."""
    launcher = launcher_for(ctx)
    with console.status("Attaching") as spinner:
        launcher.progress = lambda message: spinner.update(message)
        launcher.attach()
    console.print("Database migrated, connector registered.")


@stack_app.command()
def status(ctx: typer.Context) -> None:
    """Show each component's pid, port, health, uptime and memory, and the connector."""
    launcher = launcher_for(ctx)
    healthy = print_status(launcher)
    if not healthy:
        raise typer.Exit(1)


def _log_names() -> list[str]:
    """Whatever writes a log: the stack's parts, the services and their supervisor."""
    from orderflow.stack import supervised
    from orderflow.stack.components import EVERYTHING

    return [c.name for c in EVERYTHING] + [supervised.NAME]


class _LogsCommand(TyperCommand):
    """`stack logs`, whose argument's help names the components when it is shown.

    Written into the signature, the names would load the components for every
    command, `orderflow --help` included.
    """

    def format_help(self, ctx: Any, formatter: Any) -> None:
        for param in self.params:
            if isinstance(param, TyperArgument) and param.name == "component":
                param.help = "One of: " + ", ".join(_log_names())
        super().format_help(ctx, formatter)


@stack_app.command(cls=_LogsCommand)
def logs(
    ctx: typer.Context,
    component: Annotated[str, typer.Argument(help="A component, a service or the supervisor.")],
    lines: Annotated[int, typer.Option("--lines", "-n", min=1)] = 40,
    follow: Annotated[bool, typer.Option("--follow", "-f")] = False,
) -> None:
    """Print the end of a component's, a service's or the supervisor's log (-f follows it)."""
    names = _log_names()
    if component not in names:
        raise typer.BadParameter(f"unknown component {component!r}; one of {', '.join(names)}")
    log = launcher_for(ctx).layout.log(component)
    if not log.exists():
        console.print(f"{component} has no log yet ({log})")
        raise typer.Exit(1)
    with log.open(errors="replace") as stream:
        for line in stream.readlines()[-lines:]:
            print(line, end="")
        while follow:
            line = stream.readline()
            if line:
                print(line, end="", flush=True)
            else:
                time.sleep(0.2)


def print_status(launcher: Launcher, components: tuple[Component, ...] | None = None) -> bool:
    """Print the components' table (the stack's by default) and the connector; all healthy?"""
    from orderflow.stack.components import STACK

    rows = launcher.status(STACK if components is None else components)
    table = Table(title=f"orderflow stack ({launcher.settings.state_dir})")
    for column in ("component", "pid", "port", "healthy", "uptime", "RSS", "restarts"):
        table.add_column(column)
    for row in rows:
        table.add_row(*_cells(row))
    console.print(table)
    supervised = _print_supervisor(launcher)
    consuming = _print_groups(launcher, [row.name for row in rows])
    found = launcher.connector_state()
    if found is None:
        console.print("connector: [red]not registered[/] (or Connect is down)")
        return False
    tasks = ", ".join(found.tasks) or "no tasks"
    colour = "green" if found.running else "red"
    console.print(f"connector {found.name}: [{colour}]{found.connector}[/] (tasks: {tasks})")
    steady = all(row.healthy and not row.restarting_in_a_loop for row in rows)
    return found.running and steady and supervised and consuming


def _print_groups(launcher: Launcher, shown: list[str]) -> bool:
    """The consumer groups of the services shown; False if one has no member."""
    from orderflow.services import SERVICES
    from orderflow.stack.groups import group_states

    groups = [service.group for service in SERVICES if service.name in shown]
    if not groups:
        return True
    states = group_states(launcher.settings, groups)
    if states is None:
        console.print("consumer groups: [red]unknown[/] (Kafka does not answer)")
        return False
    cells = [
        f"{s.group} [{'green' if s.consuming else 'red'}]{s.state}[/], "
        f"{s.members} member{'' if s.members == 1 else 's'}"
        for s in states
    ]
    console.print("consumer groups: " + "; ".join(cells))
    return all(s.consuming for s in states)


def _print_supervisor(launcher: Launcher) -> bool:
    """One line on the supervisor; False if it started the system and is gone since."""
    state = launcher.supervisor_state()
    if launcher.supervisor_running():
        console.print("supervisor: [green]running[/] (restarts what exits on its own)")
        return True
    if state is None:
        console.print("supervisor: not running (parts started without `orderflow up`)")
        return True
    console.print("supervisor: [red]gone[/]: nothing restarts a part that exits; run orderflow up")
    return False


def _cells(row: ComponentStatus) -> list[str]:
    return [
        row.name,
        str(row.pid) if row.pid else "-",
        str(row.port) if row.port else "-",
        "[green]yes[/]" if row.healthy else "[red]no[/]",
        f"{row.uptime_s:.0f} s" if row.uptime_s is not None else "-",
        f"{row.rss_bytes / 2**20:.0f} MiB" if row.rss_bytes else "-",
        f"[red]{row.restarts} (in a loop)[/]" if row.restarting_in_a_loop else str(row.restarts),
    ]
