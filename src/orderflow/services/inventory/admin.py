"""``orderflow inventory``: list and set stock.

psycopg loads in the commands that connect, not when the CLI is built.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.table import Table

from orderflow.events.ids import ItemId

if TYPE_CHECKING:
    from orderflow.settings import Settings

inventory_app = typer.Typer(
    help="Inspect and set the InventoryService's stock.", no_args_is_help=True
)


@inventory_app.command("list")
def list_stock(ctx: typer.Context) -> None:
    """Stock per item: available on the shelf and reserved by orders."""
    import psycopg

    from orderflow.services.inventory.stock_admin import stock_levels

    settings: Settings = ctx.obj
    with psycopg.connect(settings.postgres_dsn) as conn:
        levels = stock_levels(conn)
    table = Table("item", "available", "reserved")
    for level in levels:
        table.add_row(level.item_id, str(level.available), str(level.reserved))
    Console().print(table)


@inventory_app.command("set")
def set_stock(
    ctx: typer.Context,
    item: Annotated[str, typer.Argument(help="Item id, e.g. item1")],
    available: Annotated[int, typer.Argument(min=0, help="How many are on the shelf")],
) -> None:
    """Set how many of an item are available (reservations stay as they are)."""
    import psycopg

    from orderflow.services.inventory.stock_admin import set_available

    settings: Settings = ctx.obj
    with psycopg.connect(settings.postgres_dsn) as conn:
        set_available(conn, ItemId(item), available)
    Console().print(f"{item}: {available} available")
