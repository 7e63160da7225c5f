"""Reading and setting stock from outside the service (``orderflow inventory``)."""

from __future__ import annotations

from dataclasses import dataclass

import psycopg

from orderflow.events.ids import ItemId


@dataclass(frozen=True)
class StockLevel:
    item_id: ItemId
    available: int
    reserved: int


def stock_levels(conn: psycopg.Connection) -> list[StockLevel]:
    rows = conn.execute(
        "SELECT item_id, available, reserved FROM inventory.stock ORDER BY item_id"
    ).fetchall()
    return [StockLevel(ItemId(r[0]), int(r[1]), int(r[2])) for r in rows]


def set_available(conn: psycopg.Connection, item_id: ItemId, available: int) -> None:
    """Set how many of ``item_id`` are on the shelf; reservations are left as they are."""
    if available < 0:
        raise ValueError("available stock cannot be negative")
    with conn.transaction():
        conn.execute(
            "INSERT INTO inventory.stock (item_id, available) VALUES (%s, %s)"
            " ON CONFLICT (item_id) DO UPDATE SET available = EXCLUDED.available",
            (item_id, available),
        )
