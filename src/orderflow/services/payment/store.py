"""Postgres adapter of PaymentService: balances and payments, a batch at a time.

``load`` creates missing accounts with the default balance, then locks and
reads the balances and existing payments a batch needs; ``apply`` writes the
decided changes back, pipelined.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from orderflow.events.ids import OrderId, UserId
from orderflow.events.model import Event, PaymentDeclined, ShipmentCreated
from orderflow.messaging.postgres import CursorStore
from orderflow.services.batch_ids import rows_of_orders
from orderflow.services.payment.domain import Charge, PaymentsView

if TYPE_CHECKING:
    from orderflow.messaging.postgres import Cursor


class PaymentStore(CursorStore):
    def __init__(self, cur: Cursor, default_balance_cents: int) -> None:
        super().__init__(cur)
        self._default = default_balance_cents

    def load(self, events: Sequence[Event]) -> PaymentsView:
        users = sorted({e.user_id for e in events if isinstance(e, ShipmentCreated)})
        # Created here, not on the first charge: the row is what FOR UPDATE locks.
        self._cur.execute(
            "INSERT INTO payment.accounts (user_id, balance_cents)"
            " SELECT unnest(%s::text[]), %s ON CONFLICT (user_id) DO NOTHING",
            (users, self._default),
        )
        self._cur.execute(
            "SELECT user_id, balance_cents FROM payment.accounts WHERE user_id = ANY(%s)"
            " ORDER BY user_id FOR UPDATE",
            (users,),
        )
        balances = {UserId(user): int(balance) for user, balance in self._cur.fetchall()}
        settled = {
            OrderId(row[0])
            for row in rows_of_orders(
                self._cur,
                "SELECT order_id::text FROM payment.payments WHERE order_id = ANY(%s::uuid[])",
                events,
            )
        }
        return PaymentsView(self._default, balances, settled)

    def apply(self, changes: Sequence[Charge]) -> None:
        if not changes:
            return
        balances = {c.outcome.user_id: c.balance_cents for c in changes}  # the last one wins
        with self._cur.connection.pipeline():
            self._cur.executemany(
                "UPDATE payment.accounts SET balance_cents = %s WHERE user_id = %s",
                [(balance, user) for user, balance in sorted(balances.items())],
            )
            self._cur.executemany(
                "INSERT INTO payment.payments"
                " (order_id, user_id, amount_cents, state, reason, created_at)"
                " VALUES (%s, %s, %s, %s, %s, %s)",
                [
                    (
                        p.order_id,
                        p.user_id,
                        p.amount_cents,
                        "declined" if isinstance(p, PaymentDeclined) else "completed",
                        p.reason if isinstance(p, PaymentDeclined) else None,
                        p.occurred_at,
                    )
                    for p in (c.outcome for c in changes)
                ],
            )
