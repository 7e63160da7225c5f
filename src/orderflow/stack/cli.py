"""`orderflow stack …`: the launcher's commands.

The launcher and the components load inside each command: they bring the
Kafka, Postgres and HTTP clients, which building the CLI (`orderflow --help`)
does not need.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, Any, Literal

import typer
from rich.console import Console
from rich.table import Table
from typer.core import TyperArgument, TyperCommand

if TYPE_CHECKING:
    from orderflow.settings import Settings
    from orderflow.stack.components import Component
    from orderflow.stack.connector import ConnectorState
    from orderflow.stack.groups import GroupState
    from orderflow.stack.launcher import ComponentStatus, Launcher
    from orderflow.stack.supervised import SupervisorState

stack_app = typer.Typer(help="Start, inspect and stop the local stack.", no_args_is_help=True)
console = Console()

Supervision = Literal["running", "not running", "gone"]
"""``running``; ``not running`` (parts started without `orderflow up`); or ``gone``
(it started the system and has died: nothing restarts a part that exits)."""

AsJson = Annotated[
    bool, typer.Option("--json", help="Print one JSON document on stdout instead of the table.")
]


ScaleOption = Annotated[
    list[str] | None,
    typer.Option(
        "--scale",
        metavar="SERVICE=COUNT",
        help="Run COUNT processes of SERVICE (repeatable): they share its consumer "
        "group's partitions. Without it, the scale of the last `up`, or one of each.",
    ),
]


BrokersOption = Annotated[
    int | None,
    typer.Option(
        "--brokers",
        min=1,
        max=5,
        help="Run a Kafka cluster of this many brokers, each a KRaft voter too: with three, "
        "every topic has three replicas and a write lands on two before it is acknowledged. "
        "The Kafka data keeps its size: without it, as many as the data has, or one.",
    ),
]
ConnectWorkersOption = Annotated[
    int | None,
    typer.Option(
        "--connect-workers",
        min=1,
        max=3,
        help="Run this many Kafka Connect workers in one group: the outbox connector's task "
        "moves to a live one when its worker dies. Without it, as many as the last `up`, "
        "or one.",
    ),
]


def asked_scale(
    scale: list[str] | None, brokers: int | None = None, connect_workers: int | None = None
) -> dict[str, int] | None:
    """The ``--scale``, ``--brokers`` and ``--connect-workers`` options as instances per
    part; None when none was given."""
    from orderflow.services import SERVICES
    from orderflow.stack.scale import BROKERS, CONNECT_WORKERS, parse_scale

    if not scale and brokers is None and connect_workers is None:
        return None
    try:
        asked = parse_scale(scale or [], (s.name for s in SERVICES))
    except ValueError as problem:
        raise typer.BadParameter(str(problem), param_hint="--scale") from None
    for part, count in ((BROKERS, brokers), (CONNECT_WORKERS, connect_workers)):
        if count is not None:
            asked[part] = count
    return asked


def start(launcher: Launcher, *, with_services: bool, scale: dict[str, int] | None = None) -> None:
    """Bring the parts up under a supervisor, with a spinner; Ctrl-C stops what was started."""
    started = time.monotonic()
    with console.status("Starting") as spinner:
        launcher.progress = lambda message: spinner.update(message)
        try:
            launcher.up_supervised(with_services=with_services, scale=scale)
        except KeyboardInterrupt:
            spinner.update("Interrupted: stopping what was started")
            launcher.down()
            raise typer.Exit(130) from None
    console.print(f"Up in {time.monotonic() - started:.1f} s")
    print_status(launcher, launcher.components(with_services=with_services))


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
def up(
    ctx: typer.Context,
    brokers: BrokersOption = None,
    connect_workers: ConnectWorkersOption = None,
) -> None:
    """Start Postgres, Kafka, Kafka Connect (with the outbox connector) and the registry."""
    start(launcher_for(ctx), with_services=False, scale=asked_scale(None, brokers, connect_workers))


@stack_app.command()
def down(ctx: typer.Context) -> None:
    """Stop everything the launcher started (found by pid file), services included."""
    stop(launcher_for(ctx))


@stack_app.command()
def attach(ctx: typer.Context) -> None:
    """For a stack run elsewhere (docker-compose.yml): wait for it, migrate, register the
    connector. Waits ORDERFLOW_STARTUP_TIMEOUT_S at most."""
    launcher = launcher_for(ctx)
    with console.status("Attaching") as spinner:
        launcher.progress = lambda message: spinner.update(message)
        launcher.attach(announce=console.print)
    console.print("Database migrated, connector registered.")


@stack_app.command()
def status(ctx: typer.Context, as_json: AsJson = False) -> None:
    """Show each component's pid, port, health, uptime and memory, and the connector."""
    launcher = launcher_for(ctx)
    show_status(launcher, launcher.components(with_services=False), as_json=as_json)


def show_status(launcher: Launcher, components: tuple[Component, ...], *, as_json: bool) -> None:
    """The table, or the JSON document; exit 1 unless all of it is well, either way."""
    report = read_status(launcher, components)
    if as_json:
        readiness = read_readiness(launcher.settings, components)
        typer.echo(json.dumps(status_document(report, launcher.settings, readiness), indent=2))
    else:
        _print_report(report, launcher)
    if not report.healthy:
        raise typer.Exit(1)


def _log_names(components: tuple[Component, ...] | None = None) -> list[str]:
    """Whatever writes a log: the stack's parts, the services (each instance, at the
    system's scale) and their supervisor."""
    from orderflow.stack import supervised
    from orderflow.stack.components import EVERYTHING

    return [c.name for c in (components or EVERYTHING)] + [supervised.NAME]


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
    lines: Annotated[
        int, typer.Option("--lines", "-n", min=1, help="How many of its last lines to print.")
    ] = 40,
    follow: Annotated[
        bool, typer.Option("--follow", "-f", help="Then print what is written to it, until Ctrl-C.")
    ] = False,
) -> None:
    """Print the end of a component's, a service's or the supervisor's log (-f follows it)."""
    launcher = launcher_for(ctx)
    names = _log_names(launcher.components())
    if component not in names:
        raise typer.BadParameter(f"unknown component {component!r}; one of {', '.join(names)}")
    log = launcher.layout.log(component)
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


@dataclass(frozen=True)
class StatusReport:
    """What `status` shows, read once: the table and the JSON document judge it alike."""

    components: tuple[Component, ...]
    rows: list[ComponentStatus]
    supervisor: Supervision
    supervisor_state: SupervisorState | None
    groups: list[GroupState] | None
    """The consumer groups of the services shown; None when Kafka does not answer."""
    connector: ConnectorState | None
    """None when it is not registered, or Connect is down."""

    @property
    def consuming(self) -> bool:
        return self.groups is not None and all(g.consuming for g in self.groups)

    @property
    def healthy(self) -> bool:
        steady = all(row.healthy and not row.restarting_in_a_loop for row in self.rows)
        running = self.connector is not None and self.connector.running
        return running and steady and self.supervisor != "gone" and self.consuming


def read_status(launcher: Launcher, components: tuple[Component, ...]) -> StatusReport:
    from orderflow.services import CONSUMERS
    from orderflow.stack.groups import group_states

    rows = launcher.status(components)
    state = launcher.supervisor_state()
    supervisor: Supervision
    if launcher.supervisor_running():
        supervisor = "running"
    else:
        supervisor = "not running" if state is None else "gone"
    shown = {component.service for component in components}
    groups = [service.group for service in CONSUMERS if service.name in shown]
    states = group_states(launcher.settings, groups) if groups else []
    return StatusReport(components, rows, supervisor, state, states, launcher.connector_state())


def print_status(launcher: Launcher, components: tuple[Component, ...] | None = None) -> bool:
    """Print the components' table (the stack's by default) and the connector; all healthy?"""
    shown = launcher.components(with_services=False) if components is None else components
    report = read_status(launcher, shown)
    _print_report(report, launcher)
    return report.healthy


def _print_report(report: StatusReport, launcher: Launcher) -> None:
    table = Table(title=f"orderflow stack ({launcher.settings.state_dir})")
    for column in ("component", "pid", "port", "healthy", "uptime", "RSS", "restarts"):
        table.add_column(column)
    for row in report.rows:
        table.add_row(*_cells(row))
    console.print(table)
    for row in report.rows:
        if row.url is not None:
            console.print(f"{row.name}: {row.url}")
    external = [row.name for row in report.rows if row.external]
    if external:
        console.print(
            f"external: {', '.join(external)} (answering on the port, not started by "
            "orderflow: docker compose, or run by hand; no pid, uptime or memory to show)"
        )
    console.print(_SUPERVISOR_LINES[report.supervisor])
    if report.groups is None:
        console.print("consumer groups: [red]unknown[/] (Kafka does not answer)")
    elif report.groups:
        cells = [
            f"{s.group} [{'green' if s.consuming else 'red'}]{s.state}[/], "
            f"{s.members} member{'' if s.members == 1 else 's'}"
            for s in report.groups
        ]
        console.print("consumer groups: " + "; ".join(cells))
    found = report.connector
    if found is None:
        console.print("connector: [red]not registered[/] (or Connect is down)")
        return
    tasks = ", ".join(found.tasks) or "no tasks"
    colour = "green" if found.running else "red"
    console.print(f"connector {found.name}: [{colour}]{found.connector}[/] (tasks: {tasks})")


_SUPERVISOR_LINES: dict[Supervision, str] = {
    "running": "supervisor: [green]running[/] (restarts what exits on its own)",
    "not running": "supervisor: not running (parts started without `orderflow up`)",
    "gone": "supervisor: [red]gone[/]: nothing restarts a part that exits; run orderflow up",
}


def read_readiness(settings: Settings, components: tuple[Component, ...]) -> dict[str, Any]:
    """The parsed ``/readyz`` of each Python process shown (the registry, the services),
    asked side by side: each may take its two seconds."""
    from concurrent.futures import ThreadPoolExecutor

    from orderflow.stack.components import REGISTRY

    urls = {
        c.name: f"http://{settings.host}:{c.port(settings)}/readyz"
        for c in components
        if c.name == REGISTRY.name or c.service is not None
    }
    if not urls:
        return {}
    with ThreadPoolExecutor(max_workers=len(urls)) as pool:
        bodies = list(pool.map(readiness_at, urls.values()))
    return dict(zip(urls, bodies, strict=True))


def readiness_at(url: str) -> dict[str, Any]:
    """The body of a GET on ``url`` (a ``/readyz``), or ``ready: false`` and why not."""
    import httpx

    try:
        answer = httpx.get(url, timeout=2)
    except httpx.HTTPError as error:
        return {"ready": False, "reason": f"no answer at {url} ({type(error).__name__})"}
    try:
        body = answer.json()
    except ValueError:
        body = None
    if not isinstance(body, dict):
        return {"ready": False, "reason": f"{url} answered {answer.status_code}, not a JSON object"}
    # The status is the verdict (what the health check reads); the body says why.
    return {**body, "ready": answer.status_code == 200}


def status_document(
    report: StatusReport, settings: Settings, readiness: dict[str, Any]
) -> dict[str, Any]:
    """`status --json`: what the table shows, and each process's metrics URL and readiness."""
    from dataclasses import asdict

    from orderflow.stack.components import DASHBOARD

    dashboard = [row.url for row in report.rows if row.name == DASHBOARD.name]
    return {
        "state_dir": str(settings.state_dir),
        "healthy": report.healthy,
        # Where the page is, when the dashboard is among the parts shown (`orderflow
        # status`; `stack status` shows the stack alone): null otherwise.
        "dashboard_url": dashboard[0] if dashboard else None,
        "components": [
            {
                "name": row.name,
                "pid": row.pid,
                "service": component.service,
                "port": row.port,
                "healthy": row.healthy,
                "uptime_s": row.uptime_s,
                "rss_bytes": row.rss_bytes,
                "restarts": row.restarts,
                "restarting_in_a_loop": row.restarting_in_a_loop,
                "url": row.url,
                "external": row.external,
                "metrics_url": component.metrics(settings),
                "readyz": readiness.get(row.name),
            }
            for component, row in zip(report.components, report.rows, strict=True)
        ],
        "supervisor": {
            "state": report.supervisor,
            "recorded": asdict(report.supervisor_state) if report.supervisor_state else None,
        },
        "consumer_groups": None
        if report.groups is None
        else [
            {
                "group": s.group,
                "state": s.state,
                "consuming": s.consuming,
                "members": list(s.client_ids),
                "assignments": [
                    {"topic": topic, "partition": partition, "owner": owner}
                    for topic, partition, owner in s.owners
                ],
            }
            for s in report.groups
        ],
        "connector": None
        if report.connector is None
        else {
            "name": report.connector.name,
            "state": report.connector.connector,
            "tasks": list(report.connector.tasks),
            "running": report.connector.running,
        },
    }


def _cells(row: ComponentStatus) -> list[str]:
    return [
        row.name,
        str(row.pid) if row.pid else "-",
        str(row.port) if row.port else "-",
        _health(row),
        f"{row.uptime_s:.0f} s" if row.uptime_s is not None else "-",
        f"{row.rss_bytes / 2**20:.0f} MiB" if row.rss_bytes else "-",
        f"[red]{row.restarts} (in a loop)[/]" if row.restarting_in_a_loop else str(row.restarts),
    ]


def _health(row: ComponentStatus) -> str:
    if not row.healthy:
        return "[red]no[/]"
    return "[green]yes[/] (external)" if row.external else "[green]yes[/]"
