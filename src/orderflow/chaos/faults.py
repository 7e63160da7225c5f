"""The fault injector: SIGKILL a random component at random moments, restart it later.

A kill takes the component's whole process tree, as a crash of its machine or
container would: for Postgres that is the postmaster and every backend, so
nothing gets to finish a transaction or flush a buffer. The restart reuses the
component's state folder (data, topics, offsets, the connector's config).
Faults are injected one at a time, at moments spread at random over the
window, and the injector goes on after the window until it has made them all.
"""

from __future__ import annotations

import contextlib
import logging
import random
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass

import psutil

from orderflow.stack.components import Component
from orderflow.stack.errors import StackError
from orderflow.stack.launcher import Launcher
from orderflow.stack.processes import live_process

log = logging.getLogger(__name__)

_RESTART_ATTEMPTS = 3


@dataclass(frozen=True)
class Fault:
    component: str
    killed_at: float
    paused_s: float
    restart_s: float
    restarted: bool
    error: str | None = None


class FaultInjector:
    def __init__(
        self,
        launcher: Launcher,
        targets: Sequence[Component],
        *,
        kills: int,
        window_s: float,
        pause_s: tuple[float, float],
        seed: int,
    ) -> None:
        self._launcher = launcher
        self._targets = list(targets)
        self._kills = kills
        self._window_s = window_s
        self._pause_s = pause_s
        self._rng = random.Random(seed)
        self._abort = threading.Event()
        self._thread = threading.Thread(target=self._run, name="fault-injector", daemon=True)
        self.faults: list[Fault] = []

    def start(self) -> None:
        self._thread.start()

    def join(self) -> None:
        self._thread.join()

    def abort(self) -> None:
        """Stop injecting after the fault in hand (whose component is restarted)."""
        self._abort.set()
        self._thread.join()

    def _run(self) -> None:
        started = time.monotonic()
        spacing = self._window_s / max(self._kills, 1)
        deck: list[Component] = []
        for number in range(self._kills):
            # One random moment in each slice of the window: random, yet spread out.
            moment = started + (number + self._rng.random()) * spacing
            if self._abort.wait(max(0.0, moment - time.monotonic())):
                return
            if not deck:
                # Every component once per round, in a random order: all get hit.
                deck = self._rng.sample(self._targets, len(self._targets))
            self.faults.append(self._inject(deck.pop()))

    def _inject(self, component: Component) -> Fault:
        killed_at = time.time()
        kill(self._launcher, component)
        paused = self._rng.uniform(*self._pause_s)
        time.sleep(paused)
        began = time.monotonic()
        error = None
        for _ in range(_RESTART_ATTEMPTS):
            try:
                self._launcher.start(component)
                error = None
                break
            except StackError as failure:
                error = str(failure)
                log.warning("restarting %s failed: %s", component.name, error)
                kill(self._launcher, component)
        return Fault(
            component.name, killed_at, paused, time.monotonic() - began, error is None, error
        )


def kill(launcher: Launcher, component: Component) -> bool:
    """SIGKILL the component and every process it started; False if it was not running."""
    process = live_process(launcher.layout.pid_file(component.name))
    if process is None:
        return False
    with contextlib.suppress(psutil.Error):
        family = [process, *process.children(recursive=True)]
        for member in family:
            with contextlib.suppress(psutil.Error):
                member.kill()
        psutil.wait_procs(family, timeout=10)
    # A zombie child of ours is not "running"; live_process reaps it.
    live_process(launcher.layout.pid_file(component.name))
    return True
