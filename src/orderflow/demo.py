"""``orderflow demo``: three orders down the three paths, each with its status timeline.

Needs the stack and the five services running (``orderflow up``). One order is
paid, one asks for an item out of stock, and one belongs to a user whose
balance is set to zero first, so its payment is declined and compensated.
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass
from datetime import datetime

import httpx
import psycopg
from rich.console import Console
from rich.table import Table

from orderflow.events.ids import ItemId, UserId
from orderflow.services.inventory.stock_admin import set_available, stock_levels
from orderflow.services.order.status import Status
from orderflow.services.payment.accounts import set_balance
from orderflow.settings import Settings

_FOLLOW_S = 30.0


@dataclass(frozen=True)
class Scenario:
    title: str
    user_id: str
    items: list[str]
    expected: str


def _scenarios() -> list[Scenario]:
    broke = f"demo-broke-{uuid.uuid4().hex[:8]}"
    return [
        Scenario("paid", "123", ["item1"], Status.PAID),
        Scenario("out of stock", "123", ["item3"], Status.INVENTORY_FAILED),
        Scenario("declined payment", broke, ["item2"], Status.CANCELLED),
    ]


def _prepare(settings: Settings, scenarios: list[Scenario], console: Console) -> None:
    with psycopg.connect(settings.postgres_dsn) as conn:
        available = {level.item_id: level.available for level in stock_levels(conn)}
        for item in ("item1", "item2"):
            if available.get(ItemId(item), 0) < 1:
                console.print(f"[yellow]{item} is sold out; restocking it to 10 for the demo")
                set_available(conn, ItemId(item), 10)
        set_balance(conn, UserId(scenarios[2].user_id), 0)


def _follow(client: httpx.Client, order_id: str) -> None:
    """Wait on the order's live stream until it ends (terminal status or timeout)."""
    params = {"timeout": _FOLLOW_S}
    with client.stream("GET", f"/orders/{order_id}/events", params=params) as response:
        for _ in response.iter_lines():
            pass


def run_demo(settings: Settings) -> int:
    """Place the three orders and print their timelines; 0 if each ended as expected."""
    console = Console()
    scenarios = _scenarios()
    _prepare(settings, scenarios, console)
    base = f"http://{settings.host}:{settings.order_port}"
    failures = 0
    placed_ids: list[str] = []
    with httpx.Client(base_url=base, timeout=_FOLLOW_S + 5) as client:
        for scenario in scenarios:
            started = time.perf_counter()
            body = {"userId": scenario.user_id, "items": scenario.items}
            placed = client.post("/order", json=body)
            placed.raise_for_status()
            order_id = placed.json()["orderId"]
            _follow(client, order_id)
            elapsed_ms = (time.perf_counter() - started) * 1000
            detail = client.get(f"/orders/{order_id}").json()
            ok = detail["status"] == scenario.expected
            failures += not ok
            console.print(_timeline(scenario, order_id, detail, elapsed_ms, ok))
            placed_ids.append(order_id)
    dashboard = f"http://{settings.host}:{settings.dashboard_port}/"
    console.print(f"Watch the pipeline live, and place orders of your own: {dashboard}")
    console.print(f"The last order's page: {dashboard}#/orders/{placed_ids[-1]}")
    return 1 if failures else 0


def _timeline(
    scenario: Scenario, order_id: str, detail: dict[str, object], elapsed_ms: float, ok: bool
) -> Table:
    mark = "[green]as expected" if ok else f"[red]expected {scenario.expected}"
    # The tail: an order id begins with its creation time (UUIDv7), so the
    # three demo orders share their first characters.
    table = Table(
        "status",
        "at",
        "+ms since created",
        title=f"{scenario.title}: order …{order_id[-12:]}, user {scenario.user_id}",
        caption=f"{detail['status']} - {mark}[/] - {elapsed_ms:.0f} ms from POST to final status",
    )
    history = detail["history"]
    assert isinstance(history, list)
    start = datetime.fromisoformat(str(history[0]["at"]))
    for entry in history:
        at = datetime.fromisoformat(str(entry["at"]))
        delta = (at - start).total_seconds() * 1000
        table.add_row(str(entry["status"]), at.strftime("%H:%M:%S.%f")[:-3], f"{delta:.0f}")
    return table
