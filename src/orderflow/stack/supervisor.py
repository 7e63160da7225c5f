"""The supervisor: the process `orderflow up` leaves behind to keep the system running.

It starts the system itself (so that every part is its child and it hears how
each one ended), then watches: a part that exits without being asked to is
logged with its exit code and started again, with the backoff of
``supervision``. ``orderflow down`` stops the supervisor before anything else,
so that it never restarts what is being stopped on purpose.

What it says travels through two files in the state folder: ``supervisor.json``
(starting, up or failed, and the step in hand, which `orderflow up` shows) and
one ``<part>.restarts.json`` per part (which `orderflow status` counts).
"""

from __future__ import annotations

import logging
import sys
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass

from orderflow.observability.logs import configure_logging
from orderflow.settings import Settings
from orderflow.stack.components import Component
from orderflow.stack.errors import StackError
from orderflow.stack.launcher import Launcher
from orderflow.stack.processes import Recorded, exit_code, live_process, read_pid_file, stop
from orderflow.stack.supervised import (
    NAME,
    WITH_SERVICES,
    SupervisorState,
    record_restart,
    write_state,
)
from orderflow.stack.supervision import (
    Backoff,
    Restart,
    describe_exit,
    quick_deaths,
    restart_delay,
)

log = logging.getLogger("orderflow.supervisor")

BACKOFF = Backoff()


@dataclass
class _Watch:
    """What the supervisor knows of one part: the death it last handled, its streak."""

    handled: Recorded | None = None
    streak: int = 0
    due_at: float = 0.0  # when the next start may happen
    ended: str = ""
    uptime_s: float = 0.0
    exit_code: int | None = None


class Supervisor:
    def __init__(
        self,
        launcher: Launcher,
        components: Sequence[Component],
        policy: Backoff = BACKOFF,
    ) -> None:
        self._launcher = launcher
        self._components = tuple(components)
        self._policy = policy
        self._watches = {c.name: _Watch() for c in components}

    def run(self, stopped: threading.Event, interval_s: float = 0.25) -> None:
        """Watch until ``stopped`` is set; in dependency order, so Postgres comes back
        before the services that need it."""
        while not stopped.wait(interval_s):
            for component in self._components:
                if stopped.is_set():
                    return
                self.tend(component)

    def tend(self, component: Component) -> None:
        layout = self._launcher.layout
        pid_file = layout.pid_file(component.name)
        if live_process(pid_file) is not None:
            return
        watch = self._watches[component.name]
        recorded = read_pid_file(pid_file)
        now = time.time()
        if recorded is not None and recorded != watch.handled:
            # A death not seen before: how it ended, and how long to wait.
            watch.handled = recorded
            watch.exit_code = exit_code(recorded.pid)
            watch.ended = describe_exit(watch.exit_code)
            watch.uptime_s = now - recorded.started_at
            watch.streak = quick_deaths(watch.streak, watch.uptime_s, self._policy)
            delay = restart_delay(watch.streak, self._policy)
            watch.due_at = now + delay
            log.warning(
                "%s exited (%s) after %.0f s up; restarting in %.1f s",
                component.name, watch.ended, watch.uptime_s, delay,
            )  # fmt: skip
        if now < watch.due_at:
            return
        self._restart(component, watch, now)

    def _restart(self, component: Component, watch: _Watch, now: float) -> None:
        layout = self._launcher.layout
        try:
            self._launcher.start(component)
        except StackError as failure:
            # What the failed start left (a process up but not healthy) goes, and
            # counts as one more quick death.
            pid_file = layout.pid_file(component.name)
            watch.handled = read_pid_file(pid_file)
            stop(pid_file, component.stop_signal, component.grace_s)
            watch.streak += 1
            delay = restart_delay(watch.streak, self._policy)
            watch.due_at = time.time() + delay
            log.error(
                "%s did not come back (%s); next try in %.1f s", component.name, failure, delay
            )
            return
        restart = Restart(now, watch.exit_code, watch.uptime_s)
        record_restart(layout.restarts(component.name), restart)
        restarted = read_pid_file(layout.pid_file(component.name))
        log.warning(
            "%s restarted (pid %s) after it %s",
            component.name, restarted.pid if restarted else "?", watch.ended,
        )  # fmt: skip


def supervise(settings: Settings, with_services: bool, stopped: threading.Event) -> int:
    """Start the system, say so in the state file, then keep it running until stopped."""
    launcher = Launcher(settings)
    state_file = launcher.layout.supervisor_state()
    components = launcher.components(with_services=with_services)

    def progress(message: str) -> None:
        log.info("%s", message)
        write_state(state_file, SupervisorState("starting", with_services, message))

    launcher.progress = progress
    progress("Starting")
    try:
        launcher.up()
        if with_services:
            launcher.up_services()
            launcher.up_views()
    except StackError as failure:
        log.error("start-up failed: %s", failure)
        write_state(
            state_file,
            SupervisorState("failed", with_services, "", failure.component, failure.problem),
        )
        return 1
    except Exception as failure:
        log.exception("start-up failed")
        write_state(state_file, SupervisorState("failed", with_services, "", NAME, repr(failure)))
        return 1
    write_state(state_file, SupervisorState("up", with_services, "Up"))
    log.info("up; supervising %s", ", ".join(c.name for c in components))
    launcher.progress = lambda message: log.info("%s", message)
    Supervisor(launcher, components).run(stopped)
    log.info("stopped supervising")
    return 0


def main() -> None:
    from orderflow.messaging.shutdown import stop_on_signals

    settings = Settings()
    configure_logging(NAME, settings.log_format, stream=sys.stdout)
    stopped = threading.Event()
    stop_on_signals(stopped)
    raise SystemExit(supervise(settings, WITH_SERVICES in sys.argv[1:], stopped))


if __name__ == "__main__":
    main()
