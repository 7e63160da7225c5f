"""The items one can order and their prices, in cents."""

from __future__ import annotations

from collections.abc import Mapping

from orderflow.events.ids import ItemId

PRICES_CENTS: Mapping[ItemId, int] = {
    ItemId("item1"): 1250,
    ItemId("item2"): 800,
    ItemId("item3"): 500,
}
