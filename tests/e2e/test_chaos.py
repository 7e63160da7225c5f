"""A short chaos run: a few hundred orders while infra and services are SIGKILLed.

It runs a whole system of its own (as `orderflow chaos` does), since it kills
Postgres and Kafka, which the session's shared stack must keep.
"""

from __future__ import annotations

import pytest

from orderflow.chaos.run import Options, own_system, run_chaos
from orderflow.settings import Settings
from orderflow.stack.components import CONNECT, KAFKA, POSTGRES, component_named

pytestmark = pytest.mark.stack


def test_a_short_chaos_run_keeps_every_guarantee() -> None:
    # One kill each, in a random order: two infra parts that hold state, the
    # connector, the OrderService (HTTP and status projection) and a worker.
    options = Options(
        orders=300,
        rate=10.0,
        kills=5,
        seed=7,
        pause_s=(0.5, 2.0),
        drain_s=120.0,
        targets=(POSTGRES, KAFKA, CONNECT, component_named("order"), component_named("payment")),
    )
    with own_system(Settings(), lambda _: None) as launcher:
        outcome = run_chaos(launcher, options, lambda _: None)

    assert sorted(f.component for f in outcome.faults) == sorted(c.name for c in options.targets)
    failed = [f"{c.name}: {c.detail}" for c in outcome.checks if not c.passed]
    assert failed == []
