"""Postgres adapter of PaymentService: balances and payments, a batch at a time.

``prepare`` creates missing accounts with the default balance, locks and
reads the balances and existing payments a batch needs; the handlers decide
in memory, and ``flush`` writes the changes back (pipelined).
"""

from __future__ import annotations

from collections.abc import Sequence

import psycopg
from psycopg.rows import TupleRow

from orderflow.events.ids import OrderId, UserId
from orderflow.events.model import Event, PaymentCompleted, PaymentDeclined, ShipmentCreated
from orderflow.services.batch_ids import uuid_ids

Cursor = psycopg.Cursor[TupleRow]


class PaymentStore:
    def __init__(self, cur: Cursor, default_balance_cents: int) -> None:
        self._cur = cur
        self._default = default_balance_cents
        self._balances: dict[str, int] = {}
        self._paid: set[str] = set()
        self._recorded: list[PaymentCompleted | PaymentDeclined] = []

    def prepare(self, events: Sequence[Event]) -> None:
        users = sorted({e.user_id for e in events if isinstance(e, ShipmentCreated)})
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
        self._balances = {str(user): int(balance) for user, balance in self._cur.fetchall()}
        self._cur.execute(
            "SELECT order_id::text FROM payment.payments WHERE order_id = ANY(%s::uuid[])",
            (uuid_ids(e.order_id for e in events),),
        )
        self._paid = {str(row[0]) for row in self._cur.fetchall()}

    def balance(self, user_id: UserId) -> int:
        """The user's balance, locked until commit; a new user starts at the default."""
        return self._balances[user_id]

    def paid_already(self, order_id: OrderId) -> bool:
        return order_id in self._paid

    def record(self, outcome: PaymentCompleted | PaymentDeclined, balance_cents: int) -> None:
        self._balances[outcome.user_id] = balance_cents
        self._paid.add(outcome.order_id)
        self._recorded.append(outcome)

    def flush(self) -> None:
        if not self._recorded:
            return
        users = sorted({p.user_id for p in self._recorded})
        with self._cur.connection.pipeline():
            self._cur.executemany(
                "UPDATE payment.accounts SET balance_cents = %s WHERE user_id = %s",
                [(self._balances[u], u) for u in users],
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
                    for p in self._recorded
                ],
            )
        self._recorded.clear()
