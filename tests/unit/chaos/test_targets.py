"""What a chaos run's faults hit by default: the parts an order's guarantees rest on."""

from __future__ import annotations

from orderflow.chaos.run import Options
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
