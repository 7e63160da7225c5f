"""What each order of a chaos run asks for, decided up front from the seed.

Every order has a user of its own, so that the database alone tells whether
an order whose POST got no answer was placed, and whose payments are whose.
Most orders can be paid; a few are for a sold-out item (``Inventory Failed``)
and a few come from a user without money (payment declined, compensated,
``Cancelled``), so that the failure paths run under faults too.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from enum import StrEnum


class Path(StrEnum):
    PAID = "paid"
    OUT_OF_STOCK = "out of stock"
    DECLINED = "declined"


IN_STOCK_ITEMS = ("item1", "item2")
SOLD_OUT_ITEM = "item3"


@dataclass(frozen=True)
class Planned:
    """One order the run will place, and the path it is meant to take.

    ``index`` numbers it within the run; its user id is the run's prefix and
    that number, so each order has a user of its own.
    """

    index: int
    user_id: str
    items: tuple[str, ...]
    path: Path


def user_prefix(run_id: str) -> str:
    return f"chaos-{run_id}-"


def users_like(prefix: str) -> str:
    """A LIKE pattern for the users of the run: ``_`` in it is itself, not a wildcard."""
    return prefix.replace("_", r"\_") + "%"


def plan_orders(run_id: str, count: int, seed: int, failing_share: float = 0.05) -> list[Planned]:
    """``count`` orders; about ``failing_share`` of them down each failure path."""
    rng = random.Random(seed)
    planned = []
    for index in range(count):
        draw = rng.random()
        path = (
            Path.OUT_OF_STOCK
            if draw < failing_share
            else Path.DECLINED
            if draw < 2 * failing_share
            else Path.PAID
        )
        items = tuple(rng.choice(IN_STOCK_ITEMS) for _ in range(rng.randint(1, 3)))
        if path is Path.OUT_OF_STOCK:
            items = (*items, SOLD_OUT_ITEM)
        planned.append(Planned(index, f"{user_prefix(run_id)}{index}", items, path))
    return planned
