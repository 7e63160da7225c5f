"""What the checks look at, read from Postgres once the system has drained.

Only this run's orders are read (their users carry the run's prefix), so a
run against a system that has seen other orders checks its own.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass

import psycopg
from psycopg import sql

from orderflow.bench.records import Placement
from orderflow.chaos.plan import Planned, users_like
from orderflow.chaos.prepare import Before
from orderflow.chaos.topics import Topics
from orderflow.services import CONSUMERS as DECLARED_CONSUMERS
from orderflow.services import SERVICES
from orderflow.services.order.status import RANK, Status

# Which event types each consumer records in its inbox, by consumer group.
CONSUMERS: dict[str, tuple[str, frozenset[str]]] = {
    service.group: (service.schema, service.consumes) for service in DECLARED_CONSUMERS
}


@dataclass(frozen=True)
class Order:
    """One order this run placed, as Postgres has it once the system has drained.

    ``index`` is the planned order it was placed for; ``history`` holds its
    statuses in the order the events behind them happened, which the checks
    compare with the ranks of the chain.
    """

    order_id: str
    index: int
    items: tuple[str, ...]
    total_cents: int
    status: str
    history: tuple[str, ...]  # statuses in the order their events happened


@dataclass(frozen=True)
class Evidence:
    """Everything the checks look at, read once."""

    planned: list[Planned]
    placements: list[Placement]
    before: Before
    topics: Topics
    orders: dict[str, Order]  # this run's orders in the database, by order id
    stock: dict[str, tuple[int, int]]  # item -> (available, reserved)
    reservations: dict[str, tuple[str, tuple[str, ...]]]  # order id -> (state, items)
    orphan_reservations: int
    reserved_by_reservations: dict[str, int]
    shipments: dict[str, str]  # order id -> state
    payments: dict[str, tuple[str, int]]  # order id -> (state, amount)
    balances: dict[int, int]  # order index -> its user's balance, if the user has an account
    outbox_rows: int
    inbox: dict[str, set[str]]  # consumer -> event ids
    default_balance_cents: int


def read_evidence(
    conn: psycopg.Connection,
    prefix: str,
    planned: list[Planned],
    placements: list[Placement],
    before: Before,
    topics: Topics,
    default_balance_cents: int,
) -> Evidence:
    like = users_like(prefix)
    histories: dict[str, list[str]] = defaultdict(list)
    # In the order the events behind them happened (events from four topics may
    # reach the status table in any order); a tie goes to the chain's order.
    for order_id, status, _ in sorted(
        conn.execute(
            "SELECT h.order_id::text, h.status, h.occurred_at FROM orders.status_history h"
            " JOIN orders.orders o USING (order_id) WHERE o.user_id LIKE %s",
            (like,),
        ),
        key=lambda row: (row[0], row[2], RANK[Status(row[1])]),
    ):
        histories[order_id].append(status)
    orders = {
        order_id: Order(
            order_id,
            int(user_id.removeprefix(prefix)),
            tuple(items),
            int(total),
            status,
            tuple(histories[order_id]),
        )
        for order_id, user_id, items, total, status in conn.execute(
            "SELECT order_id::text, user_id, items, total_cents, status FROM orders.orders"
            " WHERE user_id LIKE %s",
            (like,),
        )
    }
    reservations = {
        order_id: (state, tuple(items))
        for order_id, state, items in conn.execute(
            "SELECT order_id::text, state, items FROM inventory.reservations WHERE user_id LIKE %s",
            (like,),
        )
    }
    reserved_by_reservations: Counter[str] = Counter()
    for (items,) in conn.execute(
        "SELECT items FROM inventory.reservations WHERE state = 'reserved'"
    ):
        reserved_by_reservations.update(items)
    return Evidence(
        planned=planned,
        placements=placements,
        before=before,
        topics=topics,
        orders=orders,
        stock={
            item: (int(a), int(r))
            for item, a, r in conn.execute(
                "SELECT item_id, available, reserved FROM inventory.stock"
            )
        },
        reservations=reservations,
        orphan_reservations=_scalar(
            conn,
            "SELECT count(*) FROM inventory.reservations r"
            " WHERE NOT EXISTS (SELECT 1 FROM orders.orders o WHERE o.order_id = r.order_id)",
        ),
        reserved_by_reservations=dict(reserved_by_reservations),
        shipments=dict(
            conn.execute(
                "SELECT order_id::text, state FROM shipping.shipments WHERE user_id LIKE %s",
                (like,),
            ).fetchall()
        ),
        payments={
            order_id: (state, int(amount))
            for order_id, state, amount in conn.execute(
                "SELECT order_id::text, state, amount_cents FROM payment.payments"
                " WHERE user_id LIKE %s",
                (like,),
            )
        },
        balances={
            int(user.removeprefix(prefix)): int(balance)
            for user, balance in conn.execute(
                "SELECT user_id, balance_cents FROM payment.accounts WHERE user_id LIKE %s",
                (like,),
            )
        },
        outbox_rows=sum(
            _scalar(
                conn, sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(schema, "outbox"))
            )
            for schema in {service.schema for service in SERVICES}
        ),
        inbox={
            consumer: {
                str(row[0])
                for row in conn.execute(
                    sql.SQL("SELECT event_id::text FROM {} WHERE consumer = %s").format(
                        sql.Identifier(schema, "inbox")
                    ),
                    (consumer,),
                )
            }
            for consumer, (schema, _) in CONSUMERS.items()
        },
        default_balance_cents=default_balance_cents,
    )


def _scalar(conn: psycopg.Connection, query: sql.Composed | str) -> int:
    row = conn.execute(query).fetchone()
    return int(row[0]) if row else 0
