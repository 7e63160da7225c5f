"""InventoryService, declared: consumes orders and payments, keeps stock in `inventory`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from orderflow.events.model import InventoryRejected, InventoryReleased, InventoryReserved
from orderflow.events.topics import ORDER_EVENTS, PAYMENT_EVENTS
from orderflow.messaging.service import Service
from orderflow.services.inventory.domain import INITIAL_STOCK, Level, StockMove, StockView
from orderflow.services.inventory.handlers import HANDLERS
from orderflow.services.inventory.store import InventoryStore

if TYPE_CHECKING:
    from orderflow.settings import Settings


def _initial(_settings: Settings) -> StockView:
    return StockView({item: Level(n, 0) for item, n in INITIAL_STOCK.items()})


INVENTORY = Service[StockView, StockMove](
    name="inventory",
    title="InventoryService",
    group="inventory-service",
    topics=(ORDER_EVENTS, PAYMENT_EVENTS),
    schema="inventory",
    role=lambda settings: settings.postgres_inventory_role,
    handlers=HANDLERS,
    store=lambda cur, _settings: InventoryStore(cur),
    initial=_initial,
    port=lambda settings: settings.inventory_port,
    emits=(InventoryReserved, InventoryRejected, InventoryReleased),
)
