"""Stock and balances high enough that every order of a run can end ``Paid``.

The initial stock (item1 10, item2 5) would turn a load run into a run of
``Inventory Failed`` orders after the first few; a user's default balance would
decline their payments after a few more.
"""

from __future__ import annotations

import psycopg

from orderflow.events.ids import ItemId, UserId
from orderflow.services.inventory.stock_admin import set_available
from orderflow.services.payment.accounts import set_balance

# Far more than any run places, well inside the columns' ranges (integer, bigint).
STOCK = 1_000_000_000
BALANCE_CENTS = 10**15


def bench_users(run_id: str, count: int) -> list[str]:
    """A pool of users per run: orders spread over them so that no one account row
    serialises every payment, and a new run never inherits an older run's balances."""
    return [f"bench-{run_id}-{number}" for number in range(count)]


def prepare(dsn: str, items: list[str], users: list[str]) -> None:
    with psycopg.connect(dsn) as conn:
        for item in sorted(set(items)):
            set_available(conn, ItemId(item), STOCK)
        for user in users:
            set_balance(conn, UserId(user), BALANCE_CENTS)
