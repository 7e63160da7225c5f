"""Stock: what is on the shelf and reserved, and restocking (``orderflow inventory``)."""

from __future__ import annotations

from typing import Annotated

import psycopg
from fastapi import APIRouter, Path
from pydantic import BaseModel, Field, StrictInt

from orderflow.dashboard.database import in_database
from orderflow.dashboard.errors import Refused
from orderflow.dashboard.state import SettingsDep
from orderflow.events.ids import ItemId
from orderflow.services.inventory.stock_admin import StockLevel, set_available, stock_levels
from orderflow.services.order.catalogue import PRICES_CENTS

router = APIRouter(prefix="/api/stock", tags=["stock"])

# inventory.stock.available is a Postgres integer.
MAX_AVAILABLE = 2**31 - 1


class Restock(BaseModel):
    available: StrictInt = Field(ge=0, le=MAX_AVAILABLE, description="How many on the shelf.")


def item_document(level: StockLevel) -> dict[str, object]:
    return {
        "itemId": level.item_id,
        "available": level.available,
        "reserved": level.reserved,
        "priceCents": PRICES_CENTS.get(level.item_id),
    }


@router.get("")
async def stock(settings: SettingsDep) -> dict[str, object]:
    levels = await in_database(settings, stock_levels)
    return {"items": [item_document(level) for level in levels]}


@router.put("/{itemId}")
async def restock(
    itemId: Annotated[str, Path(max_length=100)], body: Restock, settings: SettingsDep
) -> dict[str, object]:
    """Set how many are available; reservations stay as they are."""
    item = ItemId(itemId)
    # Only the catalogue's items: a typo would otherwise become stock of an item
    # nobody can order, listed for good.
    if item not in PRICES_CENTS:
        known = ", ".join(PRICES_CENTS)
        raise Refused(
            404, "unknown_item", f"no item {itemId!r} in the catalogue ({known})", "itemId"
        )

    def set_and_read(conn: psycopg.Connection) -> StockLevel:
        set_available(conn, item, body.available)
        return next(level for level in stock_levels(conn) if level.item_id == item)

    return item_document(await in_database(settings, set_and_read))
