"""Postgres adapter of PaymentService: balances and payments."""

from __future__ import annotations

import psycopg
from psycopg.rows import TupleRow

from orderflow.events.ids import OrderId, UserId
from orderflow.events.model import PaymentCompleted, PaymentDeclined

Cursor = psycopg.Cursor[TupleRow]


class PaymentStore:
    def __init__(self, cur: Cursor, default_balance_cents: int) -> None:
        self._cur = cur
        self._default = default_balance_cents

    def balance(self, user_id: UserId) -> int:
        """The user's balance, locked until commit; a new user starts at the default."""
        self._cur.execute(
            "INSERT INTO payment.accounts (user_id, balance_cents) VALUES (%s, %s)"
            " ON CONFLICT (user_id) DO NOTHING",
            (user_id, self._default),
        )
        self._cur.execute(
            "SELECT balance_cents FROM payment.accounts WHERE user_id = %s FOR UPDATE",
            (user_id,),
        )
        row = self._cur.fetchone()
        assert row is not None  # inserted just above if it was missing
        return int(row[0])

    def paid_already(self, order_id: OrderId) -> bool:
        self._cur.execute("SELECT 1 FROM payment.payments WHERE order_id = %s", (order_id,))
        return self._cur.fetchone() is not None

    def record(self, outcome: PaymentCompleted | PaymentDeclined, balance_cents: int) -> None:
        declined = isinstance(outcome, PaymentDeclined)
        self._cur.execute(
            "UPDATE payment.accounts SET balance_cents = %s WHERE user_id = %s",
            (balance_cents, outcome.user_id),
        )
        self._cur.execute(
            "INSERT INTO payment.payments"
            " (order_id, user_id, amount_cents, state, reason, created_at)"
            " VALUES (%s, %s, %s, %s, %s, %s)",
            (
                outcome.order_id,
                outcome.user_id,
                outcome.amount_cents,
                "declined" if declined else "completed",
                outcome.reason if isinstance(outcome, PaymentDeclined) else None,
                outcome.occurred_at,
            ),
        )
