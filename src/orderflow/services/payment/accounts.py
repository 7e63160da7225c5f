"""Reading and setting users' balances from outside the service (``orderflow payment``)."""

from __future__ import annotations

import psycopg

from orderflow.events.ids import UserId


def balance_of(conn: psycopg.Connection, user_id: UserId) -> int | None:
    """The user's balance in cents; None if they have not paid yet (the default applies)."""
    row = conn.execute(
        "SELECT balance_cents FROM payment.accounts WHERE user_id = %s", (user_id,)
    ).fetchone()
    return None if row is None else int(row[0])


def set_balance(conn: psycopg.Connection, user_id: UserId, balance_cents: int) -> None:
    if balance_cents < 0:
        raise ValueError("a balance cannot be negative")
    with conn.transaction():
        conn.execute(
            "INSERT INTO payment.accounts (user_id, balance_cents) VALUES (%s, %s)"
            " ON CONFLICT (user_id) DO UPDATE SET balance_cents = EXCLUDED.balance_cents",
            (user_id, balance_cents),
        )
