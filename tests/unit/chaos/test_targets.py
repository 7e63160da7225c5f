"""What a chaos run's faults hit by default (the parts an order's guarantees rest on),
and which of them the gap bound holds for."""

from __future__ import annotations

from dataclasses import replace

from orderflow.chaos.faults import Fault, Hit, How, Kind, PlannedFault
from orderflow.chaos.run import Options, gap_check, one_of_several_lost
from orderflow.stack.components import DASHBOARD, EVERYTHING, VIEWS


def test_every_part_but_the_views_is_a_target() -> None:
    targets = Options().aimed_at()

    assert DASHBOARD not in targets
    assert set(targets) == set(EVERYTHING) - set(VIEWS)


def test_the_plan_names_no_view() -> None:
    planned = Options(faults=200, seed=1).planned_faults()

    hit = {hit.component for fault in planned for hit in fault.hits}
    assert DASHBOARD.name not in hit
    assert hit  # the plan hits something


def test_on_a_scaled_system_every_replica_is_a_target() -> None:
    names = [c.name for c in Options().aimed_at({"inventory": 3, "payment": 2})]

    assert [n for n in names if n.startswith("inventory")] == [
        "inventory", "inventory-2", "inventory-3",
    ]  # fmt: skip
    assert [n for n in names if n.startswith("payment")] == ["payment", "payment-2"]
    assert names.count("shipping") == 1


def test_the_plan_of_a_scaled_system_hits_replicas() -> None:
    planned = Options(faults=200, seed=1).planned_faults({"inventory": 2})

    hit = {hit.component for fault in planned for hit in fault.hits}
    assert "inventory-2" in hit


def test_a_cluster_s_brokers_and_workers_are_targets() -> None:
    names = [c.name for c in Options().aimed_at({"kafka": 3, "connect": 2})]

    assert {"kafka", "kafka-2", "kafka-3", "connect", "connect-2"} <= set(names)


def _killed(component: str, kind: Kind = Kind.KILL, how: How = How.KILL) -> Fault:
    return Fault(PlannedFault(kind, (Hit(component, how),)), 0.0, 1.0, 1.0, gap_s=4.0)


CLUSTER = {"kafka": 3, "connect": 2, "inventory": 2}


def test_losing_one_of_several_is_a_kill_of_a_part_whose_family_goes_on() -> None:
    assert one_of_several_lost(_killed("kafka-2"), CLUSTER)
    assert one_of_several_lost(_killed("connect"), CLUSTER)
    assert one_of_several_lost(_killed("inventory-2"), CLUSTER)
    # Alone of its kind, frozen rather than lost, or a quorum of two: not bounded.
    assert not one_of_several_lost(_killed("shipping"), CLUSTER)
    assert not one_of_several_lost(_killed("postgres"), CLUSTER)
    assert not one_of_several_lost(_killed("kafka", Kind.FREEZE, How.FREEZE), CLUSTER)
    assert not one_of_several_lost(_killed("kafka-2"), {"kafka": 2})
    assert not one_of_several_lost(Fault(PlannedFault(Kind.ALL_DOWN, ()), 0, 1, 1), CLUSTER)


def test_the_gap_check_fails_a_stall_over_its_bound_and_names_it() -> None:
    slow = replace(_killed("kafka-3"), gap_s=16.0)

    passed = gap_check([_killed("kafka-2"), _killed("shipping")], CLUSTER, bound_s=15.0)
    failed = gap_check([_killed("kafka-2"), slow], CLUSTER, bound_s=15.0)

    assert passed.passed
    assert "1 such faults, the longest gap 4.0 s" in passed.detail
    assert not failed.passed
    assert "kill kafka-3: 16.0 s" in failed.detail
