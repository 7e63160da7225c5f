"""A short chaos run: a few hundred orders while components are killed and frozen.

It runs a whole system of its own under its supervisor (as `orderflow chaos`
does), since it kills Postgres and Kafka, which the session's shared stack
must keep. The faults are scripted: the 15-second freezes of Connect and of
Kafka that once stalled every order for five minutes, kills of a store, the
OrderService and a worker that the supervisor must bring back, overlaps (a
kill with a freeze, and Kafka frozen with Connect), and a power cut.
"""

from __future__ import annotations

import pytest

from orderflow.chaos.faults import Hit, How, Kind, PlannedFault
from orderflow.chaos.run import Options, own_system, run_chaos
from orderflow.settings import Settings
from orderflow.stack.components import EVERYTHING
from orderflow.stack.supervised import read_restarts

pytestmark = pytest.mark.stack

FREEZE_S = 15.0
SCRIPT = (
    PlannedFault(Kind.FREEZE, (Hit("connect", How.FREEZE, FREEZE_S),)),
    PlannedFault(Kind.FREEZE, (Hit("kafka", How.FREEZE, FREEZE_S),)),
    PlannedFault(Kind.KILL, (Hit("postgres", How.KILL),)),
    PlannedFault(Kind.KILL, (Hit("order", How.KILL),)),
    PlannedFault(Kind.KILL, (Hit("payment", How.KILL),)),
    PlannedFault(Kind.OVERLAP, (Hit("inventory", How.KILL), Hit("registry", How.FREEZE, 5.0, 1.0))),
    # Kafka and Connect frozen together, as a stalled host would freeze both.
    PlannedFault(
        Kind.OVERLAP,
        (Hit("kafka", How.FREEZE, FREEZE_S), Hit("connect", How.FREEZE, FREEZE_S, 2.0)),
    ),
    PlannedFault(Kind.ALL_DOWN, ()),
)


def test_a_short_chaos_run_keeps_every_guarantee_and_recovers_from_each_fault() -> None:
    options = Options(orders=300, rate=10.0, seed=7, drain_s=120.0, script=SCRIPT)
    with own_system(Settings(), lambda _: None) as launcher:
        outcome = run_chaos(launcher, options, lambda _: None)
        # The killed components were brought back by the supervisor, which counted them.
        restarted = {
            c.name for c in EVERYTHING if read_restarts(launcher.layout.restarts(c.name)).total
        }

    assert [f.planned for f in outcome.faults] == list(SCRIPT)
    failed = [f"{c.name}: {c.detail}" for c in outcome.checks if not c.passed]
    assert failed == []
    assert {"postgres", "order", "payment", "inventory"} <= restarted
    # Orders flow again soon after every freeze ends, counted from the last SIGCONT.
    frozen = [
        f
        for f in outcome.faults
        if f.planned.hits and all(h.how is How.FREEZE for h in f.planned.hits)
    ]
    assert len(frozen) == 3
    for fault in frozen:
        assert fault.back_at is not None
        assert fault.recovery_s is not None
        resumed_at = fault.started_at + max(h.after_s + h.held_s for h in fault.planned.hits)
        flowing_after_s = fault.back_at + fault.recovery_s - resumed_at
        assert flowing_after_s <= 30.0, f"{fault.planned.label}: {flowing_after_s:.1f} s"
