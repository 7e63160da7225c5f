"""Postgres adapter of InventoryService: stock rows and reservations, a batch at a time.

``load`` locks and reads the stock and reservations a batch needs, so that
the batch decides on values no other transaction can change before it
commits; ``apply`` writes the decided changes back, pipelined.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from orderflow.events.ids import ItemId, OrderId, UserId
from orderflow.events.model import Event, OrderCreated
from orderflow.messaging.postgres import CursorStore
from orderflow.services.batch_ids import rows_of_orders
from orderflow.services.inventory.domain import Level, Reservation, StockMove, StockView

_RESERVATIONS = (
    "SELECT order_id::text, user_id, items, total_cents, state FROM inventory.reservations"
    " WHERE order_id = ANY(%s::uuid[]) ORDER BY order_id FOR UPDATE"
)


def _reservation(order_id: str, user: str, items: list[str], total: int, state: str) -> Reservation:
    held = tuple(ItemId(i) for i in items)
    return Reservation(OrderId(order_id), UserId(user), held, int(total), state == "released")


class InventoryStore(CursorStore):
    def load(self, events: Sequence[Event]) -> StockView:
        rows = rows_of_orders(self._cur, _RESERVATIONS, events)
        view = StockView(reservations={OrderId(row[0]): _reservation(*row) for row in rows})
        wanted = {i for e in events if isinstance(e, OrderCreated) for i in e.items}
        wanted |= {i for r in view.reservations.values() for i in r.items}
        self._cur.execute(
            "SELECT item_id, available, reserved FROM inventory.stock WHERE item_id = ANY(%s)"
            " ORDER BY item_id FOR UPDATE",
            (sorted(wanted),),
        )
        for item_id, available, reserved in self._cur.fetchall():
            view.stock[ItemId(item_id)] = Level(int(available), int(reserved))
        return view

    def apply(self, changes: Sequence[StockMove]) -> None:
        if not changes:
            return
        moved: Counter[ItemId] = Counter()  # item -> how many went from available to reserved
        for change in changes:
            moved.update(change.reservation.moved())
        held = [(c.reservation, c.at) for c in changes if not c.reservation.released]
        released = [(c.at, c.reservation.order_id) for c in changes if c.reservation.released]
        with self._cur.connection.pipeline():
            self._cur.executemany(
                "UPDATE inventory.stock SET available = available - %s, reserved = reserved + %s"
                " WHERE item_id = %s",
                [(n, n, item) for item, n in sorted(moved.items())],
            )
            if held:
                self._cur.executemany(
                    "INSERT INTO inventory.reservations"
                    " (order_id, user_id, items, total_cents, state, created_at)"
                    " VALUES (%s, %s, %s, %s, 'reserved', %s)",
                    [(r.order_id, r.user_id, list(r.items), r.total_cents, at) for r, at in held],
                )
            if released:
                self._cur.executemany(
                    "UPDATE inventory.reservations SET state = 'released', released_at = %s"
                    " WHERE order_id = %s",
                    released,
                )
