"""`orderflow stack up | down | status`: start, supervise and stop the local stack.

Start order follows the dependencies: Postgres and Kafka first (side by
side, they need nothing), then the database migrations, then Kafka Connect
and the registry (both need Kafka), then the outbox connector (needs Connect
and the migrated outbox tables). Prometheus starts beside Connect and the
registry: it needs nothing, and what it scrapes may come and go. With the
services, the views (the dashboard) come last: they show the rest.
"""

from __future__ import annotations

import os
import signal
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import psutil

from orderflow.db.migrate import migrate
from orderflow.settings import Settings
from orderflow.stack import artifacts, attached, connect, connector, kafka, postgres, prometheus
from orderflow.stack.cluster import cluster_formatted
from orderflow.stack.components import (
    CONNECT,
    DASHBOARD,
    KAFKA,
    POSTGRES,
    PROMETHEUS,
    REGISTRY,
    STACK,
    VIEWS,
    Component,
    everything,
    service_instances,
    stack,
)
from orderflow.stack.errors import StackError
from orderflow.stack.java import find_java
from orderflow.stack.layout import StateLayout
from orderflow.stack.ports import port_in_use
from orderflow.stack.processes import live_process, spawn, stop
from orderflow.stack.scale import (
    BROKERS,
    Scale,
    cluster_of,
    instances_of,
    read_scale,
    write_scale,
)
from orderflow.stack.supervised import NAME as SUPERVISOR
from orderflow.stack.supervised import (
    WITH_SERVICES,
    SupervisorState,
    read_restarts,
    read_state,
)
from orderflow.stack.supervision import restarting_in_a_loop
from orderflow.stack.waiting import wait_until

Progress = Callable[[str], None]


def _quiet(_: str) -> None:
    return None


@dataclass(frozen=True)
class ComponentStatus:
    name: str
    pid: int | None
    port: int | None
    healthy: bool
    uptime_s: float | None
    rss_bytes: int | None
    restarts: int = 0
    restarting_in_a_loop: bool = False
    url: str | None = None
    """Where a person looks at it in a browser, for the parts that have a UI."""
    external: bool = False
    """Answering on its port with no process of ours: docker compose, or run by hand."""


class Launcher:
    def __init__(self, settings: Settings, progress: Progress = _quiet) -> None:
        self._settings = settings
        self.layout = StateLayout(settings.state_dir)
        self.progress = progress

    @property
    def settings(self) -> Settings:
        """The settings it was given, with as many brokers as the stack runs: what every
        part it starts is told (the bootstrap list names each broker)."""
        brokers = instances_of(self.scale, BROKERS)
        if brokers == self._settings.kafka_brokers:
            return self._settings
        return self._settings.model_copy(update={"kafka_brokers": brokers})

    def running(self, component: Component) -> bool:
        return live_process(self.layout.pid_file(component.name)) is not None

    @property
    def scale(self) -> Scale:
        """The instances of each service, broker and Connect worker the last `up` asked
        for (scale.py); without a word on brokers, as many as the Kafka data has."""
        kept = read_scale(self.layout.scale())
        if BROKERS not in kept:
            cluster = cluster_formatted(self.layout)
            if cluster is not None:
                kept[BROKERS] = cluster.brokers
        return kept

    def components(self, *, with_services: bool = True) -> tuple[Component, ...]:
        """Every part of the system at its scale, in start order; the stack's alone if not
        ``with_services``."""
        scale = self.scale
        return everything(scale) if with_services else stack(scale)

    def up(self) -> None:
        self.settings.state_dir.mkdir(parents=True, exist_ok=True)
        parts = stack(self.scale)
        brokers = [part for part in parts if part.family == kafka.NAME]
        workers = [part for part in parts if part.family == connect.NAME]
        self._check_ports(parts)
        # Java, the jars and Prometheus first, so that a missing one stops `up`
        # before anything runs.
        find_java(self.settings.java)
        if artifacts.resolved(self.settings.cache_dir) is None:
            self.progress("Resolving the JVM artifacts with Maven (first run only)")
        artifacts.resolve(self.settings.cache_dir)
        prometheus.find_binary()

        # A cluster's brokers all at once: none is healthy before a quorum of them runs.
        for component in (POSTGRES, *brokers):
            if not self.running(component):
                self._launch(component)
        self._await(POSTGRES)
        postgres.ensure_database(self.settings)
        self._migrate()
        for component in brokers:
            self._await(component)

        for component in (*workers, REGISTRY, PROMETHEUS):
            if not self.running(component):
                self._launch(component)
        for component in workers:
            self._await(component)
        self._register_outbox_connector()
        self._await(REGISTRY)
        self._await(PROMETHEUS)

    def up_supervised(self, *, with_services: bool, scale: Scale | None = None) -> None:
        """Start the system in a supervisor process, which keeps it running after we return.

        The supervisor does the starting (each part is its child, so that it hears
        how each one ends); this follows its steps and raises what it failed on.
        ``scale`` (instances per service) replaces the one kept from the last `up`;
        None keeps it. Brokers and Connect workers it does not mention stay as they are.
        """
        self.settings.state_dir.mkdir(parents=True, exist_ok=True)
        if scale is not None:
            scale = {**cluster_of(self.scale), **scale}
        rescaled = scale is not None and dict(scale) != dict(self.scale)
        if scale is not None:
            before = self.components()
            write_scale(self.layout.scale(), scale)
            self._stop_surplus(before)
        if rescaled and self.running(PROMETHEUS):
            # Prometheus re-reads its config on SIGHUP: it scrapes the new instances.
            prometheus.prepare(self.settings, self.layout, self.components())
            process = live_process(self.layout.pid_file(PROMETHEUS.name))
            if process is not None:
                process.send_signal(signal.SIGHUP)
        state_file = self.layout.supervisor_state()
        current = read_state(state_file)
        if self.supervisor_running() and current is not None and current.phase != "failed":
            if (current.services or not with_services) and not rescaled:
                self._follow_supervisor()
                return
            # A supervisor of the stack alone, or of another scale: a new one takes
            # its place, and adopts what already runs.
            self._stop_supervisor()
        state_file.unlink(missing_ok=True)
        command = [sys.executable, "-m", "orderflow.stack.supervisor"]
        arguments = [WITH_SERVICES] if with_services else []
        self._spawn_named(SUPERVISOR, command + arguments, env=self._env())
        self._follow_supervisor()

    def supervisor_running(self) -> bool:
        return live_process(self.layout.pid_file(SUPERVISOR)) is not None

    def supervisor_state(self) -> SupervisorState | None:
        return read_state(self.layout.supervisor_state())

    def _follow_supervisor(self) -> None:
        shown = ""
        while True:
            state = self.supervisor_state()
            if state is not None and state.phase == "up":
                return
            if state is not None and state.phase == "failed":
                component = state.component or SUPERVISOR
                log = self.layout.log(component)
                where = log if log.exists() else self.layout.log(SUPERVISOR)
                raise StackError(component, state.error or "failed", where)
            if not self.supervisor_running():
                log = self.layout.log(SUPERVISOR)
                raise StackError(SUPERVISOR, f"exited during start-up: {_last_line(log)}", log)
            if state is not None and state.message != shown:
                shown = state.message
                self.progress(shown)
            time.sleep(0.1)

    def _stop_supervisor(self) -> None:
        self.progress("Stopping the supervisor")
        stop(self.layout.pid_file(SUPERVISOR), signal.SIGTERM, 15.0, with_children=False)

    def _stop_surplus(self, before: tuple[Component, ...]) -> None:
        """Stop the instances the new scale has no place for: ``inventory-3`` at 2."""
        kept = {component.name for component in self.components()}
        for component in reversed(before):
            if component.name not in kept:
                self.progress(f"Stopping {component.name}")
                stop(self.layout.pid_file(component.name), component.stop_signal,
                     component.grace_s)  # fmt: skip
                self.layout.restarts(component.name).unlink(missing_ok=True)

    def start(self, component: Component) -> None:
        """(Re)start one component that is not running, on the state it left, and wait
        until it is healthy: what the supervisor does for a part that exited."""
        self._launch(component)
        self._await(component)
        if component is CONNECT:
            self._register_outbox_connector()

    def _launch(self, component: Component) -> None:
        """Prepare and spawn one component; every part's way of starting is here."""
        if component is POSTGRES:
            postgres.prepare(self.settings, self.layout)
            self._spawn(POSTGRES, postgres.command(self.settings, self.layout),
                        user=postgres.run_as(self.settings))  # fmt: skip
        elif component.family == kafka.NAME:
            jars, java = self._jvm()
            settings, node = self.settings, component.instance
            kafka.prepare(settings, self.layout, jars, java, node)
            self._spawn(component, kafka.command(settings, self.layout, jars, java, node))
        elif component.family == connect.NAME:
            jars, java = self._jvm()
            settings, worker = self.settings, component.instance
            connect.prepare(settings, self.layout, jars, worker)
            self._spawn(component, connect.command(settings, self.layout, jars, java, worker))
        elif component is REGISTRY:
            self._spawn(REGISTRY, [sys.executable, "-m", "orderflow.registry"], env=self._env())
        elif component is PROMETHEUS:
            prometheus.prepare(self.settings, self.layout, self.components())
            self._spawn(PROMETHEUS, prometheus.command(self.settings, self.layout))
        elif component is DASHBOARD:
            self._spawn(
                DASHBOARD, [sys.executable, "-m", "orderflow", "dashboard"], env=self._env()
            )
        elif component.service is not None:
            # An instance is its service told which one it is: its port follows (scale.py).
            command = [sys.executable, "-m", "orderflow", "run", component.service]
            instance = self.settings.model_copy(update={"instance": component.instance})
            self._spawn(component, command, env={**os.environ, **instance.as_env()})
        else:
            raise StackError(component.name, "the launcher does not know how to start it")

    def _jvm(self) -> tuple[artifacts.Artifacts, str]:
        # Cheap once the jars are cached, which `up` has made sure of.
        return artifacts.resolve(self.settings.cache_dir), find_java(self.settings.java)

    def attach(self, announce: Progress | None = None) -> None:
        """Prepare components somebody else runs (docker-compose): wait until each
        answers (a line each to ``announce``), then migrate and register."""
        attached.await_answers(
            (POSTGRES, KAFKA, CONNECT, REGISTRY),
            self.settings,
            waiting=self.progress,
            answered=announce or self.progress,
        )
        self._migrate()
        self._register_outbox_connector()

    def _migrate(self) -> None:
        applied = migrate(self.settings.postgres_dsn)
        if applied:
            self.progress(f"Applied migrations: {', '.join(applied)}")

    def up_services(self) -> None:
        """Start every instance of the five services, each its own process, as `orderflow
        run <name>` would."""
        self._up_side_by_side(service_instances(self.scale))

    def up_views(self) -> None:
        """Start what shows the system (the dashboard), once the services it shows are up."""
        self._up_side_by_side(VIEWS)

    def _up_side_by_side(self, components: tuple[Component, ...]) -> None:
        """Start those not running, all at once, then wait until each is healthy."""
        self._check_ports(components)
        for component in components:
            if not self.running(component):
                self._launch(component)
        for component in components:
            self._await(component)

    def down(self) -> list[str]:
        """Stop the supervisor first (so that nothing comes back), then every component
        that `up` recorded, last started first."""
        stopped = []
        if self.supervisor_running():
            self._stop_supervisor()
            stopped.append(SUPERVISOR)
        self.layout.supervisor_state().unlink(missing_ok=True)
        for component in reversed(self.components()):
            self.progress(f"Stopping {component.name}")
            pid_file = self.layout.pid_file(component.name)
            if stop(pid_file, component.stop_signal, component.grace_s):
                stopped.append(component.name)
            # Restarts count from one `up` to its `down`.
            self.layout.restarts(component.name).unlink(missing_ok=True)
        # The scale too: the next `up` runs one of each unless told otherwise.
        self.layout.scale().unlink(missing_ok=True)
        return stopped

    def status(self, components: tuple[Component, ...] = STACK) -> list[ComponentStatus]:
        rows = []
        now = time.time()
        for component in components:
            process = live_process(self.layout.pid_file(component.name))
            restarts = read_restarts(self.layout.restarts(component.name))
            # Without a process of ours, what answers on the port is somebody else's
            # (docker compose, a service run by hand): up, but nothing of it to measure.
            external = process is None and attached.answers(component, self.settings)
            rows.append(
                ComponentStatus(
                    name=component.name,
                    pid=process.pid if process else None,
                    port=component.port(self.settings),
                    healthy=external or (process is not None and component.healthy(self.settings)),
                    uptime_s=time.time() - process.create_time() if process else None,
                    rss_bytes=_family_rss(process) if process else None,
                    restarts=restarts.total,
                    restarting_in_a_loop=restarting_in_a_loop(restarts.recent, now),
                    url=self.url_of(component),
                    external=external,
                )
            )
        return rows

    def url_of(self, component: Component) -> str | None:
        """Where a person opens the part in a browser, if it has a page."""
        if component is PROMETHEUS:
            return prometheus.url(self.settings)
        if component is DASHBOARD:
            return f"http://{self.settings.host}:{self.settings.dashboard_port}/"
        return None

    def connector_state(self) -> connector.ConnectorState | None:
        name, _ = connector.outbox_connector(self.settings)
        return connector.state(self.settings, name)

    def _check_ports(self, components: tuple[Component, ...]) -> None:
        """Only the ports of what is about to start: a service the user runs by hand
        in a terminal of its own does not stop `stack up`."""
        for component in components:
            if self.running(component):
                continue
            port = component.port(self.settings)
            # inventory-2's port follows inventory's: the setting to change is the family's.
            family = (component.family or component.name).upper()
            if port is not None:
                self._check_port(component, port, f"ORDERFLOW_{family}_PORT")
            # Kafka's and Connect's metrics agent ends its JVM if it cannot bind, with
            # no word of the port: say it here.
            metrics = component.metrics(self.settings)
            metrics_port = urlsplit(metrics).port if metrics else None
            if metrics_port is not None and metrics_port != port:
                variable = f"ORDERFLOW_{family}_METRICS_PORT"
                self._check_port(component, metrics_port, variable)

    def _check_port(self, component: Component, port: int, variable: str) -> None:
        if port_in_use(self.settings.host, port):
            raise StackError(
                component.name,
                f"port {port} on {self.settings.host} is already in use by another "
                f"process; free it or set {variable}",
            )

    def _env(self) -> dict[str, str]:
        return {**os.environ, **self.settings.as_env()}

    def _spawn(
        self,
        component: Component,
        command: list[str],
        *,
        user: str | None = None,
        env: dict[str, str] | None = None,
    ) -> None:
        self.progress(f"Starting {component.name}")
        self._spawn_named(component.name, command, user=user, env=env)

    def _spawn_named(
        self,
        name: str,
        command: list[str],
        *,
        user: str | None = None,
        env: dict[str, str] | None = None,
    ) -> None:
        spawn(
            command,
            log=self.layout.log(name),
            pid_file=self.layout.pid_file(name),
            env=env,
            user=user,
        )

    def _await(self, component: Component) -> None:
        self.progress(f"Waiting for {component.name} to be healthy")
        pid_file = self.layout.pid_file(component.name)
        log = self.layout.log(component.name)
        became_healthy = wait_until(
            lambda: component.healthy(self.settings),
            self.settings.startup_timeout_s,
            interval_s=0.2,
            gave_up=lambda: live_process(pid_file) is None,
        )
        if became_healthy:
            return
        if live_process(pid_file) is None:
            raise StackError(component.name, f"exited during start-up: {_last_line(log)}", log)
        raise StackError(
            component.name,
            f"not healthy after {self.settings.startup_timeout_s:.0f} s",
            log,
        )

    def _register_outbox_connector(self) -> None:
        name, config = connector.outbox_connector(self.settings)
        self.progress(f"Registering connector {name}")
        connector.register(self.settings, name, config)
        is_running = wait_until(
            lambda: (found := connector.state(self.settings, name)) is not None and found.running,
            self.settings.startup_timeout_s,
            interval_s=0.2,
        )
        if not is_running:
            found = connector.state(self.settings, name)
            trace = (found.trace or "").splitlines()[:1] if found else []
            raise StackError(
                "connector",
                f"{name} is not RUNNING ({found}); {' '.join(trace)}",
                self.layout.log(CONNECT.name),
            )


def _family_rss(process: psutil.Process) -> int | None:
    try:
        family = [process, *process.children(recursive=True)]
    except psutil.Error:
        return None
    total = 0
    for member in family:
        try:
            total += member.memory_info().rss
        except psutil.NoSuchProcess:
            # A child that ended since it was listed (a Postgres backend whose
            # client disconnected): it holds no memory any more.
            continue
        except psutil.Error:
            return None
    return total


def _last_line(log: Path) -> str:
    try:
        lines = [line for line in log.read_text(errors="replace").splitlines() if line.strip()]
    except OSError:
        return "no log"
    return lines[-1][:300] if lines else "no output"
