"""The fault injector: the planned faults, one after another, under load.

Each fault begins at a random moment of its slice of the window, but never
before the one before it has recovered, so that every recovery time is one
fault's alone. Recovery is waited for as it happens, from the completions in
Postgres; the load goes on until the last fault has been met (see ``run``).
A killed component is brought back by the supervisor, not by the injector:
that is what the run is there to prove.
"""

from __future__ import annotations

import contextlib
import logging
import random
import threading
import time
from collections.abc import Callable, Sequence

import psutil

from orderflow.chaos.faults import Fault, Hit, How, Kind, PlannedFault
from orderflow.chaos.recovery import WINDOW_S, longest_gap_s, recovery_s
from orderflow.stack.components import CONNECT, component_named
from orderflow.stack.errors import StackError
from orderflow.stack.launcher import Launcher
from orderflow.stack.processes import Recorded, live_process, read_pid_file
from orderflow.stack.supervised import NAME as SUPERVISOR
from orderflow.stack.waiting import wait_until

log = logging.getLogger(__name__)

# The completion times of the run's orders from a moment on (wall clock, sorted).
Completions = Callable[[float], list[float]]

_BACK_TIMEOUT_S = 180.0
# A completion is committed a moment after its time is taken: only what is this
# much older is taken as known.
_SETTLED_S = 1.0
# Orders in flight when a fault hits were placed a moment before it: their
# completions during it count towards its gap.
_GAP_SINCE_S = 60.0


class FaultInjector:
    def __init__(
        self,
        launcher: Launcher,
        planned: Sequence[PlannedFault],
        *,
        window_s: float,
        seed: int,
        rate_per_s: float,
        completions: Completions,
        recovery_wait_s: float,
        progress: Callable[[str], None] = lambda _: None,
    ) -> None:
        self._launcher = launcher
        self._planned = list(planned)
        self._window_s = window_s
        self._rng = random.Random(seed)
        self._rate = rate_per_s
        self._completions = completions
        self._recovery_wait_s = recovery_wait_s
        self._progress = progress
        self._abort = threading.Event()
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._run, name="fault-injector", daemon=True)
        self.faults: list[Fault] = []

    def start(self) -> None:
        self._thread.start()

    def join(self) -> None:
        self._thread.join()

    @property
    def done(self) -> bool:
        return self._done.is_set()

    def abort(self) -> None:
        """Stop injecting after the fault in hand."""
        self._abort.set()
        self._thread.join()

    def _run(self) -> None:
        try:
            started = time.monotonic()
            spacing = self._window_s / max(len(self._planned), 1)
            for number, planned in enumerate(self._planned):
                # One random moment in each slice of the window: random, yet spread out.
                moment = started + (number + self._rng.random()) * spacing
                if self._abort.wait(max(0.0, moment - time.monotonic())):
                    return
                fault = self._inject(planned)
                self.faults.append(fault)
                self._progress(f"Fault {number + 1} of {len(self._planned)}: {describe(fault)}")
        finally:
            self._done.set()

    def _inject(self, planned: PlannedFault) -> Fault:
        started_at = time.time()
        try:
            if planned.kind is Kind.ALL_DOWN:
                kill_everything(self._launcher)
                self._launcher.up_supervised(with_services=True)
            else:
                self._hit_all(planned.hits)
        except StackError as failure:
            return Fault(planned, started_at, None, None, str(failure))
        back_at = time.time()
        recovery = self._await_recovery(back_at)
        # Up to the recovery: orders flow at the offered rate from there on.
        until = time.time() - _SETTLED_S if recovery is None else back_at + recovery
        gap = self._gap(started_at, until)
        return Fault(planned, started_at, back_at, recovery, gap_s=gap)

    def _gap(self, started_at: float, until: float) -> float | None:
        """The longest stretch without a completion from the fault's start ``until``,
        over orders placed up to ``_GAP_SINCE_S`` before it."""
        try:
            times = self._completions(started_at - _GAP_SINCE_S)
        except Exception as failure:  # the gap is reported, not a guarantee: say why not
            log.warning("completions not readable for the gap: %s", failure)
            return None
        return longest_gap_s(times, started_at, until)

    def _hit_all(self, hits: Sequence[Hit]) -> None:
        """Every hit at its moment, side by side; back once each component is."""
        failures: list[StackError] = []

        def one(hit: Hit) -> None:
            time.sleep(hit.after_s)
            try:
                hit_and_await(self._launcher, hit)
            except StackError as failure:
                failures.append(failure)

        threads = [threading.Thread(target=one, args=(hit,)) for hit in hits]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        if failures:
            raise failures[0]

    def _await_recovery(self, back_at: float) -> float | None:
        found: float | None = None

        def recovered() -> bool:
            nonlocal found
            try:
                times = self._completions(back_at)
            except Exception as failure:  # Postgres may be coming back still
                log.info("completions not readable yet: %s", failure)
                return False
            found = recovery_s(times, back_at, self._rate, time.time() - _SETTLED_S)
            return found is not None

        wait_until(recovered, self._recovery_wait_s + WINDOW_S + _SETTLED_S, interval_s=1.0)
        return found


def describe(fault: Fault) -> str:
    """One line on a fault as it went: what it hit, when it was back, when orders flowed."""
    if fault.back_s is None:
        return f"{fault.planned.label}: not back ({fault.error})"
    flowing = (
        "orders not flowing at the offered rate within the wait"
        if fault.recovery_s is None
        else f"orders flowing {fault.recovery_s:.1f} s later"
    )
    gap = "" if fault.gap_s is None else f", none completed for {fault.gap_s:.1f} s at most"
    return f"{fault.planned.label}: back after {fault.back_s:.1f} s, {flowing}{gap}"


def hit_and_await(launcher: Launcher, hit: Hit) -> None:
    """Kill or freeze one component, then wait until it is running and healthy again."""
    component = component_named(hit.component, launcher.scale)
    pid_file = launcher.layout.pid_file(component.name)
    before = read_pid_file(pid_file)
    if hit.how is How.KILL:
        kill(launcher, component.name)
    else:
        freeze(launcher, component.name, hit.held_s)

    def back() -> bool:
        now = read_pid_file(pid_file)
        replaced = hit.how is How.FREEZE or not _same(now, before)
        return (
            replaced
            and live_process(pid_file) is not None
            and component.healthy(launcher.settings)
            and (component.family != CONNECT.family or _connector_running(launcher))
        )

    if not wait_until(back, _BACK_TIMEOUT_S, interval_s=0.2):
        verb = "killed" if hit.how is How.KILL else "frozen"
        raise StackError(component.name, f"not back {_BACK_TIMEOUT_S:.0f} s after it was {verb}")


def _same(a: Recorded | None, b: Recorded | None) -> bool:
    return a is not None and b is not None and a == b


def _connector_running(launcher: Launcher) -> bool:
    found = launcher.connector_state()
    return found is not None and found.running


def _family(launcher: Launcher, name: str) -> list[psutil.Process]:
    process = live_process(launcher.layout.pid_file(name))
    if process is None:
        return []
    try:
        return [process, *process.children(recursive=True)]
    except psutil.Error:
        return [process]


def kill(launcher: Launcher, name: str) -> bool:
    """SIGKILL the component and every process it started; False if it was not running."""
    family = _family(launcher, name)
    _kill(family)
    return bool(family)


def _kill(family: list[psutil.Process]) -> None:
    for member in family:
        with contextlib.suppress(psutil.Error):
            member.kill()
    psutil.wait_procs(family, timeout=10)


def freeze(launcher: Launcher, name: str, held_s: float) -> None:
    """SIGSTOP the component's processes for ``held_s``, then SIGCONT them."""
    family = _family(launcher, name)
    for member in family:
        with contextlib.suppress(psutil.Error):
            member.suspend()
    try:
        time.sleep(held_s)
    finally:
        for member in family:
            with contextlib.suppress(psutil.Error):
                member.resume()


def kill_everything(launcher: Launcher) -> None:
    """Every process of the system at the same moment, the supervisor first: a power cut."""
    names = [SUPERVISOR, *(component.name for component in launcher.components())]
    families = [_family(launcher, name) for name in names]
    _kill([member for family in families for member in family])
