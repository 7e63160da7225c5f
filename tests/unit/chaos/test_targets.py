"""What a chaos run's faults hit by default: the parts an order's guarantees rest on."""

from __future__ import annotations

from orderflow.chaos.run import Options
from orderflow.stack.components import DASHBOARD, EVERYTHING, VIEWS


def test_every_part_but_the_views_is_a_target() -> None:
    targets = Options().targets

    assert DASHBOARD not in targets
    assert set(targets) == set(EVERYTHING) - set(VIEWS)


def test_the_plan_names_no_view() -> None:
    planned = Options(faults=200, seed=1).planned_faults()

    hit = {hit.component for fault in planned for hit in fault.hits}
    assert DASHBOARD.name not in hit
    assert hit  # the plan hits something
