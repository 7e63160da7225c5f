"""One chaos run: a system (its own by default), load and faults together, drain, checks.

The load goes on at the offered rate for at least ``orders`` orders and until
the last fault has recovered: a recovery is measured against the offered
rate, so there must be one. The plan holds orders for the longest such run.
"""

from __future__ import annotations

import asyncio
import shutil
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import psycopg

from orderflow.access import kafka_access
from orderflow.bench.records import Placement
from orderflow.chaos.checks import check_all
from orderflow.chaos.evidence import read_evidence
from orderflow.chaos.faults import (
    ALL_KINDS,
    FREEZE_S,
    Fault,
    How,
    Kind,
    PlannedFault,
    plan_faults,
)
from orderflow.chaos.injector import FaultInjector
from orderflow.chaos.load import place_all
from orderflow.chaos.plan import plan_orders, user_prefix, users_like
from orderflow.chaos.prepare import prepare
from orderflow.chaos.recovery import BOUND_S, GAP_BOUND_S
from orderflow.chaos.topics import read_topics
from orderflow.chaos.verdict import Check
from orderflow.services.order.status import TERMINAL
from orderflow.settings import Settings
from orderflow.stack.components import (
    CONNECT,
    Component,
    component_named,
    service_instances,
    stack,
)
from orderflow.stack.errors import StackError
from orderflow.stack.isolated import isolated_settings, open_state_dir
from orderflow.stack.launcher import Launcher
from orderflow.stack.scale import BROKERS, Scale, instances_of
from orderflow.stack.waiting import wait_until

Progress = Callable[[str], None]


@dataclass(frozen=True)
class Options:
    orders: int = 10_000
    rate: float = 25.0
    faults: int = 60
    seed: int = 0
    kinds: tuple[Kind, ...] = ALL_KINDS
    freeze_s: tuple[float, float] = FREEZE_S
    recovery_bound_s: float = BOUND_S
    drain_s: float = 600.0
    request_timeout_s: float = 10.0
    # The parts an order goes through or its guarantees rest on. Not the views (the
    # dashboard): a fault in one cannot break a guarantee, and would take a share of
    # the plan's faults from the parts where one can. A power cut still takes them.
    # None: the stack and every instance of each service, at the system's scale.
    targets: tuple[Component, ...] | None = None
    # Faults to inject instead of a plan from the seed (a test's exact sequence).
    script: tuple[PlannedFault, ...] | None = None

    def aimed_at(self, scale: Scale | None = None) -> tuple[Component, ...]:
        """The parts faults may hit, on a system of ``scale``."""
        return self.targets or stack(scale or {}) + service_instances(scale or {})

    def planned_faults(self, scale: Scale | None = None) -> list[PlannedFault]:
        if self.script is not None:
            return list(self.script)
        names = [component.name for component in self.aimed_at(scale)]
        return plan_faults(self.kinds, names, self.faults, self.seed, self.freeze_s)


# Beyond the window, each fault may hold the load this long at most (a freeze,
# a component's way back, its recovery): the plan's orders cover that much.
_PER_FAULT_S = 120.0


@dataclass(frozen=True)
class Outcome:
    checks: list[Check]
    faults: list[Fault]
    placements: list[Placement]
    load_s: float  # from the first order to the last fault's recovery
    drain_s: float
    recovery_bound_s: float

    @property
    def orders_sent(self) -> int:
        return len(self.placements)

    @property
    def passed(self) -> bool:
        return all(check.passed for check in self.checks)


@contextmanager
def own_system(
    settings: Settings, progress: Progress, scale: Scale | None = None
) -> Iterator[Launcher]:
    """A whole system of its own on free ports in a temporary folder, stopped after;
    ``scale`` instances of each service (one of each by default)."""
    state_dir = open_state_dir()
    launcher = Launcher(isolated_settings(state_dir, cache_dir=settings.cache_dir), progress)
    try:
        launcher.up_supervised(with_services=True, scale=scale)
        yield launcher
    finally:
        launcher.down()
        shutil.rmtree(state_dir, ignore_errors=True)


def running_system(settings: Settings) -> Launcher:
    """The system `orderflow up` runs; all of it must be there, and its supervisor, which
    brings back what the run kills."""
    launcher = Launcher(settings)
    missing = [c.name for c in launcher.components() if not launcher.running(c)]
    if not launcher.supervisor_running():
        missing.append("its supervisor")
    if missing:
        raise StackError(", ".join(missing), "not running; start the system with: orderflow up")
    return launcher


def run_chaos(launcher: Launcher, options: Options, progress: Progress) -> Outcome:
    settings = launcher.settings
    run_id = uuid.uuid4().hex[:8]
    prefix = user_prefix(run_id)
    planned_faults = options.planned_faults(launcher.scale)
    capacity = options.orders + round(options.rate * _PER_FAULT_S * len(planned_faults))
    planned = plan_orders(run_id, capacity, options.seed)
    before = prepare(settings.postgres_dsn, planned)
    injector = FaultInjector(
        launcher,
        planned_faults,
        window_s=options.orders / options.rate,
        seed=options.seed,
        rate_per_s=options.rate,
        completions=lambda since: completion_times(settings.postgres_dsn, prefix, since),
        recovery_wait_s=max(120.0, 4 * options.recovery_bound_s),
        progress=progress,
    )
    progress(
        f"Placing at least {options.orders} orders at {options.rate:g}/s "
        f"with {len(planned_faults)} faults"
    )
    started = time.monotonic()
    injector.start()
    try:
        placements = asyncio.run(
            place_all(
                f"http://{settings.host}:{settings.order_port}",
                planned,
                options.rate,
                options.request_timeout_s,
                more=lambda index: index < options.orders or not injector.done,
            )
        )
    except BaseException:
        injector.abort()
        raise
    injector.join()
    load_s = time.monotonic() - started
    _await_whole(launcher, progress)
    progress("Waiting for every order to reach a terminal status")
    drain_started = time.monotonic()
    open_left = _drain(settings.postgres_dsn, prefix, options.drain_s)
    drain_s = time.monotonic() - drain_started
    progress("Reading the topics and the database")
    topics = read_topics(kafka_access(settings))
    with psycopg.connect(settings.postgres_dsn) as conn:
        evidence = read_evidence(
            conn, prefix, planned, placements, before, topics,
            settings.payment_default_balance_cents,
        )  # fmt: skip
    checks = [
        *fault_checks(injector.faults, options.recovery_bound_s),
        gap_check(injector.faults, launcher.scale),
        Check(
            f"drained within {options.drain_s:g} s",
            open_left,
            f"{drain_s:.0f} s after the load; {open_left} orders still open",
        ),
        *check_all(evidence),
    ]
    return Outcome(checks, injector.faults, placements, load_s, drain_s, options.recovery_bound_s)


def fault_checks(faults: list[Fault], bound_s: float) -> list[Check]:
    not_back = [f for f in faults if f.back_at is None]
    slow = [f for f in faults if f.back_at is not None and not _recovered(f, bound_s)]
    return [
        Check(
            "every faulted component came back by itself",
            len(not_back),
            f"{len(faults)} faults; "
            + ("; ".join(f"{f.planned.label}: {f.error}" for f in not_back) or "all back"),
        ),
        Check(
            f"orders flow at the offered rate within {bound_s:g} s of every comeback",
            len(slow),
            "; ".join(f"{f.planned.label}: {_shown(f.recovery_s)}" for f in slow)
            or f"{len(faults) - len(not_back)} recoveries, the slowest "
            + _shown(max((f.recovery_s or 0.0 for f in faults), default=0.0)),
        ),
    ]


def gap_check(faults: list[Fault], scale: Scale, bound_s: float = GAP_BOUND_S) -> Check:
    """Losing one of several (a broker of three, a worker or a service's replica)
    stops completions for ``bound_s`` at most: the others carry on."""
    bounded = [f for f in faults if one_of_several_lost(f, scale)]
    over = [f for f in bounded if f.gap_s is None or f.gap_s > bound_s]
    longest = max((f.gap_s or 0.0 for f in bounded), default=0.0)
    return Check(
        f"losing one of several stops completions {bound_s:g} s at most",
        len(over),
        "; ".join(f"{f.planned.label}: {_shown(f.gap_s)}" for f in over)
        or (f"{len(bounded)} such faults, the longest gap {longest:.1f} s" if bounded
            else "no such fault in this run"),
    )  # fmt: skip


def one_of_several_lost(fault: Fault, scale: Scale) -> bool:
    """A kill of one part whose family goes on without it: a broker of a cluster of
    three or more, one of two Connect workers or more, one replica of a service."""
    if fault.planned.kind is Kind.ALL_DOWN or len(fault.planned.hits) != 1:
        return False
    hit = fault.planned.hits[0]
    if hit.how is not How.KILL:
        return False
    try:
        family = component_named(hit.component, scale).family
    except ValueError:
        return False
    if family is None:
        return False
    # A KRaft quorum of two cannot lose one: it takes three brokers to go on.
    fewest = 3 if family == BROKERS else 2
    return instances_of(scale, family) >= fewest


def _recovered(fault: Fault, bound_s: float) -> bool:
    return fault.recovery_s is not None and fault.recovery_s <= bound_s


def _shown(seconds: float | None) -> str:
    return "never within the wait" if seconds is None else f"{seconds:.1f} s"


def _await_whole(launcher: Launcher, progress: Progress) -> None:
    """The checks are about the system once it is whole again: its supervisor brings
    back what is down; if the supervisor itself is gone, `up` starts it again."""
    if not launcher.supervisor_running():
        launcher.up_supervised(with_services=True)

    def whole() -> bool:
        if not all(
            launcher.running(c) and c.healthy(launcher.settings) for c in launcher.components()
        ):
            return False
        found = launcher.connector_state()
        return found is not None and found.running

    progress("Waiting for every component to be running and healthy")
    if not wait_until(whole, launcher.settings.startup_timeout_s, interval_s=0.5):
        down = [c.name for c in launcher.components() if not launcher.running(c)]
        raise StackError(", ".join(down) or CONNECT.name, "not back after the faults")


# Orders placed from a moment on: the backlog of orders placed before a fault
# may rush through at once while new ones still wait behind it.
_COMPLETED = """
SELECT extract(epoch FROM h.recorded_at)::float8 FROM orders.status_history h
JOIN orders.orders o USING (order_id)
WHERE o.user_id LIKE %(like)s AND h.status = ANY(%(terminal)s)
  AND o.created_at >= to_timestamp(%(since)s)
ORDER BY 1
"""


def completion_times(dsn: str, prefix: str, since: float) -> list[float]:
    """When the run's orders placed from ``since`` on reached their terminal status (epoch s)."""
    params = {"like": users_like(prefix), "terminal": sorted(TERMINAL), "since": since}
    with psycopg.connect(dsn, autocommit=True, connect_timeout=3) as conn:
        return [float(row[0]) for row in conn.execute(_COMPLETED, params)]


_OPEN = """
SELECT count(*) FROM orders.orders
WHERE user_id LIKE %(like)s AND NOT status = ANY(%(terminal)s)
"""


def _drain(dsn: str, prefix: str, timeout_s: float) -> int:
    """Wait until none of the run's orders is open; how many still are at the deadline."""
    params = {"like": users_like(prefix), "terminal": sorted(TERMINAL)}
    deadline = time.monotonic() + timeout_s
    with psycopg.connect(dsn, autocommit=True) as conn:
        while True:
            row = conn.execute(_OPEN, params).fetchone()
            left = int(row[0]) if row else 0
            if left == 0 or time.monotonic() > deadline:
                return left
            time.sleep(1.0)
