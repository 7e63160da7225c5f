"""Stock and balances before a chaos run, and what they were, for the checks."""

from __future__ import annotations

from dataclasses import dataclass

import psycopg

from orderflow.chaos.plan import IN_STOCK_ITEMS, SOLD_OUT_ITEM, Path, Planned
from orderflow.events.ids import ItemId
from orderflow.services.inventory.stock_admin import set_available

# Far more than any run takes: no paid-path order may fail for want of stock.
STOCK = 1_000_000_000


@dataclass(frozen=True)
class Before:
    """Each item's available + reserved and reserved, when the run began."""

    total: dict[str, int]
    reserved: dict[str, int]


def prepare(dsn: str, planned: list[Planned]) -> Before:
    with psycopg.connect(dsn) as conn:
        for item in IN_STOCK_ITEMS:
            set_available(conn, ItemId(item), STOCK)
        set_available(conn, ItemId(SOLD_OUT_ITEM), 0)
        # Users down the declined path have nothing; the others get the default
        # balance on their first payment (Settings.payment_default_balance_cents).
        with conn.transaction(), conn.cursor() as cur:
            cur.executemany(
                "INSERT INTO payment.accounts (user_id, balance_cents) VALUES (%s, 0)"
                " ON CONFLICT (user_id) DO UPDATE SET balance_cents = 0",
                [(p.user_id,) for p in planned if p.path is Path.DECLINED],
            )
        rows = conn.execute("SELECT item_id, available, reserved FROM inventory.stock").fetchall()
    return Before(
        total={str(item): int(a) + int(r) for item, a, r in rows},
        reserved={str(item): int(r) for item, _, r in rows},
    )
