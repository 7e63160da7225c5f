"""One chaos run: a system (its own by default), load and faults together, drain, checks."""

from __future__ import annotations

import asyncio
import shutil
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import psycopg

from orderflow.bench.records import Placement
from orderflow.chaos.checks import check_all
from orderflow.chaos.evidence import read_evidence
from orderflow.chaos.faults import Fault, FaultInjector
from orderflow.chaos.load import place_all
from orderflow.chaos.plan import plan_orders, user_prefix
from orderflow.chaos.prepare import prepare
from orderflow.chaos.topics import read_topics
from orderflow.chaos.verdict import Check
from orderflow.services.order.status import TERMINAL
from orderflow.settings import Settings
from orderflow.stack.components import EVERYTHING, Component
from orderflow.stack.errors import StackError
from orderflow.stack.isolated import isolated_settings, open_state_dir
from orderflow.stack.launcher import Launcher

Progress = Callable[[str], None]


@dataclass(frozen=True)
class Options:
    orders: int = 10_000
    rate: float = 25.0
    kills: int = 60
    seed: int = 0
    pause_s: tuple[float, float] = (0.5, 5.0)
    drain_s: float = 600.0
    request_timeout_s: float = 10.0
    targets: tuple[Component, ...] = EVERYTHING


@dataclass(frozen=True)
class Outcome:
    checks: list[Check]
    faults: list[Fault]
    placements: list[Placement]
    load_s: float  # from the first order to the last fault's restart
    drain_s: float

    @property
    def passed(self) -> bool:
        return all(check.passed for check in self.checks)


@contextmanager
def own_system(settings: Settings, progress: Progress) -> Iterator[Launcher]:
    """A whole system of its own on free ports in a temporary folder, stopped after."""
    state_dir = open_state_dir()
    launcher = Launcher(isolated_settings(state_dir, cache_dir=settings.cache_dir), progress)
    try:
        launcher.up()
        launcher.up_services()
        yield launcher
    finally:
        launcher.down()
        shutil.rmtree(state_dir, ignore_errors=True)


def running_system(settings: Settings) -> Launcher:
    """The system `orderflow up` runs; all of it must be there, since it gets killed."""
    launcher = Launcher(settings)
    missing = [c.name for c in EVERYTHING if not launcher.running(c)]
    if missing:
        raise StackError(", ".join(missing), "not running; start the system with: orderflow up")
    return launcher


def run_chaos(launcher: Launcher, options: Options, progress: Progress) -> Outcome:
    settings = launcher.settings
    run_id = uuid.uuid4().hex[:8]
    planned = plan_orders(run_id, options.orders, options.seed)
    before = prepare(settings.postgres_dsn, planned)
    window_s = options.orders / options.rate
    injector = FaultInjector(
        launcher,
        options.targets,
        kills=options.kills,
        window_s=window_s,
        pause_s=options.pause_s,
        seed=options.seed,
    )
    progress(f"Placing {options.orders} orders at {options.rate:g}/s with {options.kills} kills")
    started = time.monotonic()
    injector.start()
    try:
        placements = asyncio.run(
            place_all(
                f"http://{settings.host}:{settings.order_port}",
                planned,
                options.rate,
                options.request_timeout_s,
            )
        )
    except BaseException:
        injector.abort()
        raise
    injector.join()
    load_s = time.monotonic() - started
    # A component whose restarts all failed is started once more: the checks
    # are about what the system does once it is whole again.
    for component in EVERYTHING:
        if not launcher.running(component):
            launcher.start(component)
    progress("Waiting for every order to reach a terminal status")
    drain_started = time.monotonic()
    open_left = _drain(settings.postgres_dsn, user_prefix(run_id), options.drain_s)
    drain_s = time.monotonic() - drain_started
    progress("Reading the topics and the database")
    topics = read_topics(settings.kafka_bootstrap)
    with psycopg.connect(settings.postgres_dsn) as conn:
        evidence = read_evidence(
            conn,
            user_prefix(run_id),
            planned,
            placements,
            before,
            topics,
            settings.payment_default_balance_cents,
        )
    failed = [f for f in injector.faults if not f.restarted]
    checks = [
        Check(
            "every killed component restarted",
            len(failed),
            f"{len(injector.faults)} kills; "
            + ("; ".join(f"{f.component}: {f.error}" for f in failed) or "all back"),
        ),
        Check(
            f"drained within {options.drain_s:g} s",
            open_left,
            f"{drain_s:.0f} s after the load; {open_left} orders still open",
        ),
        *check_all(evidence),
    ]
    return Outcome(checks, injector.faults, placements, load_s, drain_s)


_OPEN = """
SELECT count(*) FROM orders.orders
WHERE user_id LIKE %(like)s AND NOT status = ANY(%(terminal)s)
"""


def _drain(dsn: str, prefix: str, timeout_s: float) -> int:
    """Wait until none of the run's orders is open; how many still are at the deadline."""
    params = {"like": prefix + "%", "terminal": sorted(TERMINAL)}
    deadline = time.monotonic() + timeout_s
    with psycopg.connect(dsn, autocommit=True) as conn:
        while True:
            row = conn.execute(_OPEN, params).fetchone()
            left = int(row[0]) if row else 0
            if left == 0 or time.monotonic() > deadline:
                return left
            time.sleep(1.0)
